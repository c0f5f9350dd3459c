using System.Diagnostics;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// The hub's one <see cref="ActivitySource"/>. Only the tracer provider of <see cref="TracingSetup"/> listens to it, and
/// that exists only when <c>Hub:Tracing:OtlpEndpoint</c> is set: otherwise <see cref="StartSpan"/> returns null after one
/// <see cref="ActivitySource.HasListeners"/> check, and every span helper returns at once on null — no allocation.
/// </summary>
public static class HubActivitySource
{
    public const string Name = "AnalyticsHub";

    public static readonly ActivitySource Source = new(Name, typeof(HubActivitySource).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a span under <paramref name="parent"/> (a caller's W3C context; default: a new trace), never under the
    /// ambient <see cref="Activity.Current"/>: ASP.NET Core makes one per request that is not exported, and a span under
    /// it would name a parent no collector ever receives. Null when tracing is off or the sampler drops the span.
    /// </summary>
    public static Activity? StartSpan(string name, ActivityKind kind, in ActivityContext parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Async-local: the caller's async method sees the new span as current; its own caller is unaffected.
        Activity.Current = null;
        return Source.StartActivity(name, kind, parent);
    }
}
