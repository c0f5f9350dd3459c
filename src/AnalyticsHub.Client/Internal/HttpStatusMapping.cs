using System.Net;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// The gRPC status a client reports for a response that is not HTTP 200 and carries no
/// <c>grpc-status</c> (doc/http-grpc-status-mapping.md in grpc/grpc).
/// </summary>
internal static class HttpStatusMapping
{
    public static StatusCode ToStatusCode(HttpStatusCode httpStatus) => (int)httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>
    /// The status for an HTTP/2 RST_STREAM or GOAWAY error code (doc/PROTOCOL-HTTP2.md, "Errors").
    /// </summary>
    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusCode.Unavailable,        // REFUSED_STREAM: the server did not process it; safe to retry
        0x8 => StatusCode.Cancelled,          // CANCEL
        0xB => StatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
        0xC => StatusCode.PermissionDenied,   // INADEQUATE_SECURITY
        _ => StatusCode.Internal,             // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, ...
    };

    public static string Http2ErrorName(long errorCode) => errorCode switch
    {
        0x0 => "NO_ERROR",
        0x1 => "PROTOCOL_ERROR",
        0x2 => "INTERNAL_ERROR",
        0x3 => "FLOW_CONTROL_ERROR",
        0x4 => "SETTINGS_TIMEOUT",
        0x5 => "STREAM_CLOSED",
        0x6 => "FRAME_SIZE_ERROR",
        0x7 => "REFUSED_STREAM",
        0x8 => "CANCEL",
        0x9 => "COMPRESSION_ERROR",
        0xA => "CONNECT_ERROR",
        0xB => "ENHANCE_YOUR_CALM",
        0xC => "INADEQUATE_SECURITY",
        0xD => "HTTP_1_1_REQUIRED",
        _ => $"0x{errorCode:X}",
    };
}
