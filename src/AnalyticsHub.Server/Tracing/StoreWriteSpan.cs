using System.Diagnostics;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// One span per batch the drainer writes to the store, retries included: the store kind, the rows, each retry (an event
/// with the store's error) and, when the store refused the batch, an error status. A background span: it starts a trace.
/// </summary>
internal static class StoreWriteSpan
{
    public const string Name = "hub.store.write";

    public const string Kind = "hub.store.kind";
    public const string Rows = "hub.store.rows";
    public const string Retries = "hub.store.retries";
    public const string RetryEvent = "retry";

    public static Activity? Start(string storeKind, int rows)
    {
        var span = HubActivitySource.StartSpan(Name, ActivityKind.Client, default);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(Kind, storeKind);
            span.SetTag(Rows, rows);
        }
        return span;
    }

    /// <summary>The store took the rows (fewer than asked when a retry found some already stored).</summary>
    public static void Written(Activity? span, int rows, int retries)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        span.SetTag(Rows, rows);
        span.SetTag(Retries, retries);
    }

    /// <summary>A write failed with a transient error and will be retried after a backoff.</summary>
    public static void Retrying(Activity? span, int attempt, string reason)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        span.SetTag(Retries, attempt);
        span.AddEvent(new ActivityEvent(RetryEvent, tags: new ActivityTagsCollection
        {
            ["hub.store.attempt"] = attempt,
            ["exception.message"] = reason,
        }));
    }
}
