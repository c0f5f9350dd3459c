using System.Diagnostics;
using AnalyticsHub.Server.Ingestion;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// One span per ingest batch (a unary call, one message of a stream, a REST request, a WebSocket message), from its
/// arrival to its durable acknowledgement: transport, events, and what admission made of them. Never one per event.
/// </summary>
internal static class IngestSpan
{
    public const string Name = "hub.ingest.batch";

    public const string Transport = "hub.ingest.transport";
    public const string Events = "hub.ingest.events";
    public const string Accepted = "hub.ingest.accepted";
    public const string Rejected = "hub.ingest.rejected";
    public const string Duplicates = "hub.ingest.duplicates";
    public const string Retry = "hub.ingest.retry";

    /// <summary>Values of <see cref="Transport"/>.</summary>
    public const string GrpcUnary = "grpc", GrpcStream = "grpc_stream", Rest = "rest", WebSocket = "websocket";

    public static Activity? Start(string transport, in ActivityContext parent)
    {
        var span = HubActivitySource.StartSpan(Name, ActivityKind.Server, parent);
        span?.SetTag(Transport, transport);
        return span;
    }

    /// <summary>An admitted batch: its counts, or for a retry of an earlier batch only that it was one (its original ack answers it).</summary>
    public static void Admitted(Activity? span, int events, in IngestOutcome outcome)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        if (outcome.Status == IngestStatus.Retry)
        {
            span.SetTag(Events, events);
            span.SetTag(Retry, true);
            return;
        }

        Acknowledged(span, events, outcome.Counts.Accepted, outcome.Counts.Rejected, outcome.Counts.Duplicates, retry: false);
    }

    public static void Acknowledged(Activity? span, int events, uint accepted, uint rejected, uint duplicates, bool retry)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        span.SetTag(Events, events);
        span.SetTag(Accepted, (int)accepted);
        span.SetTag(Rejected, (int)rejected);
        span.SetTag(Duplicates, (int)duplicates);
        if (retry)
        {
            span.SetTag(Retry, true);
        }
    }
}
