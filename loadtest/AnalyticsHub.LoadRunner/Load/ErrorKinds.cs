using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>Names failures for the error table: by gRPC status, HTTP status, or exception type.</summary>
internal static class ErrorKinds
{
    public static string Of(Exception exception) => exception switch
    {
        RpcException rpc => Grpc(rpc.StatusCode),
        HttpRequestException { StatusCode: { } status } => Http((int)status),
        _ => "error " + exception.GetType().Name,
    };

    public static string Grpc(StatusCode code) => "grpc " + code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Http(int status) => "http " + status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Failures worth a pause before the next attempt (the server asks to slow down or is away).</summary>
    public static bool IsBackoff(Exception exception) => exception switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable,
        HttpRequestException => true,
        _ => false,
    };
}
