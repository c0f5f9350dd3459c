using System.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// The W3C trace context (<c>traceparent</c>, <c>tracestate</c>) a REST, WebSocket or gRPC caller sent, which becomes the
/// parent of the hub's span for its request. Headers are read only while tracing is on.
/// </summary>
public static class RequestTraceContext
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>The caller's context, or default (a new trace) when there is none, it is malformed, or tracing is off.</summary>
    public static ActivityContext ParentOf(IHeaderDictionary headers)
    {
        if (!HubActivitySource.Source.HasListeners()
            || !headers.TryGetValue(TraceParentHeader, out var traceParent)
            || traceParent.Count != 1)
        {
            return default;
        }

        headers.TryGetValue(TraceStateHeader, out var traceState);
        return ActivityContext.TryParse(traceParent[0], StringValues.IsNullOrEmpty(traceState) ? null : traceState.ToString(), isRemote: true, out var parent)
            ? parent
            : default;
    }
}
