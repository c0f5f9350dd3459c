using System.Diagnostics;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Server.Tracing;

/// <summary>Marks a span failed: status Error with the message, and <c>error.type</c> (OpenTelemetry's attribute) naming the kind of failure.</summary>
internal static class SpanFailure
{
    public const string ErrorType = "error.type";

    public static void Record(Activity? span, string errorType, string? message)
    {
        if (span is null)
        {
            return;
        }

        span.SetStatus(ActivityStatusCode.Error, message);
        if (span.IsAllDataRequested)
        {
            span.SetTag(ErrorType, errorType);
        }
    }

    /// <summary>A gRPC failure is named by its status code, a cancellation as such, anything else by its exception type.</summary>
    public static void Record(Activity? span, Exception exception)
    {
        if (span is null)
        {
            return;
        }

        switch (exception)
        {
            case RpcException rpc:
                Record(span, rpc.StatusCode.ToString(), rpc.Status.Detail);
                break;
            case OperationCanceledException:
                Record(span, "cancelled", exception.Message);
                break;
            default:
                Record(span, exception.GetType().FullName ?? "exception", exception.Message);
                break;
        }
    }
}
