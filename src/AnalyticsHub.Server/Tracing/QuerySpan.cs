using System.Diagnostics;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// One span per query a caller asked (REST or gRPC): the metric, where the answer came from (rollups or SQL on the
/// store), whether the cache served it, whether a computation extended an earlier answer or ran in full, and the rows.
/// </summary>
internal static class QuerySpan
{
    public const string QueryName = "hub.query";
    public const string SearchName = "hub.search";

    public const string Metric = "hub.query.metric";
    public const string Composite = "hub.query.composite";
    public const string Source = "hub.query.source";
    public const string Cached = "hub.query.cached";
    public const string Computation = "hub.query.computation";
    public const string Rows = "hub.query.rows";

    public static Activity? Start(MetricQuery query, in ActivityContext parent)
    {
        var span = HubActivitySource.StartSpan(QueryName, ActivityKind.Server, parent);
        if (span is { IsAllDataRequested: true })
        {
            if (query.Metric is not null)
            {
                span.SetTag(Metric, query.Metric);
            }
            if (query.Composite != CompositeMetric.None)
            {
                span.SetTag(Composite, query.Composite.ToString());
            }
        }
        return span;
    }

    public static Activity? StartSearch(in ActivityContext parent) => HubActivitySource.StartSpan(SearchName, ActivityKind.Server, parent);

    public static void Answered(Activity? span, QueryAnswer answer)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        var result = answer.Result;
        span.SetTag(Source, result.Source);
        span.SetTag(Cached, result.Cached);
        if (!result.Cached && answer.Cached is { } computed)
        {
            span.SetTag(Computation, computed.Extended ? "extended" : "full");
        }
        span.SetTag(Rows, result.RowCount);
    }

    public static void Searched(Activity? span, EventSearchPage page)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        span.SetTag(Source, QueryExecutor.StoreSource);
        span.SetTag(Rows, page.Events.Count);
    }
}
