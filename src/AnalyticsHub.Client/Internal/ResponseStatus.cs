using System.Globalization;
using System.Net.Http.Headers;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>Reads <c>grpc-status</c> and <c>grpc-message</c> from response headers or trailers.</summary>
internal static class ResponseStatus
{
    /// <returns>False when there is no <c>grpc-status</c>; a value that is not a status code gives UNKNOWN.</returns>
    public static bool TryGet(HttpHeaders headers, out Status status)
    {
        var values = headers.NonValidated;
        if (!values.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            status = default;
            return false;
        }

        var message = values.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues)
            ? GrpcMessageEncoding.Decode(First(messageValues))
            : string.Empty;
        var raw = First(statusValues);
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            status = new Status(StatusCode.Unknown, $"Bad gRPC response: grpc-status '{raw}' is not a status code. {message}".TrimEnd());
            return true;
        }

        status = code <= (int)StatusCode.Unauthenticated
            ? new Status((StatusCode)code, message)
            : new Status(StatusCode.Unknown, $"Unknown grpc-status {code}: {message}");
        return true;
    }

    private static string First(HeaderStringValues values)
    {
        foreach (var value in values)
        {
            return value;
        }

        return string.Empty;
    }
}
