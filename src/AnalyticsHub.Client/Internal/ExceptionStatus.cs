using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>Turns a transport or codec exception into the status the call ends with.</summary>
internal static class ExceptionStatus
{
    public static Status FromException(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RpcException rpc:
                    return rpc.Status;
                case HttpProtocolException protocol:
                    return new Status(
                        HttpStatusMapping.FromHttp2ErrorCode(protocol.ErrorCode),
                        $"HTTP/2 error {HttpStatusMapping.Http2ErrorName(protocol.ErrorCode)}: {protocol.Message}");
            }
        }

        return exception switch
        {
            HttpRequestException http => new Status(StatusCode.Unavailable, $"Error sending the gRPC request: {Describe(http)}"),
            IOException io => new Status(StatusCode.Unavailable, $"Error on the HTTP/2 stream: {Describe(io)}"),
            OperationCanceledException => new Status(StatusCode.Cancelled, "The call was cancelled."),
            _ => new Status(StatusCode.Internal, $"Error in the gRPC call: {Describe(exception)}"),
        };
    }

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner
            ? $"{exception.GetType().Name}: {exception.Message} ({inner.GetType().Name}: {inner.Message})"
            : $"{exception.GetType().Name}: {exception.Message}";
}
