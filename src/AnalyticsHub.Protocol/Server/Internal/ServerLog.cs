using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Protocol.Server.Internal;

/// <summary>Source-generated log messages of the gRPC server (event ids 1000–1099).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1000, LogLevel.Error, "gRPC handler for {Method} threw an exception.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(1001, LogLevel.Debug, "gRPC call {Method}: status not sent ({Reason}).")]
    public static partial void StatusNotSent(ILogger logger, string method, string reason);

    [LoggerMessage(1002, LogLevel.Debug, "gRPC call {Method} rejected: malformed grpc-timeout '{Value}'.")]
    public static partial void MalformedTimeout(ILogger logger, string method, string value);

    [LoggerMessage(1003, LogLevel.Debug, "Request to {Path} rejected with HTTP {HttpStatus}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string path, int httpStatus, string reason);

    [LoggerMessage(1004, LogLevel.Debug, "gRPC call {Path}: {Reason}")]
    public static partial void Unimplemented(ILogger logger, string path, string reason);
}
