using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server;
using AnalyticsHub.Server.Tracing;
using AnalyticsHub.Storage.Stores;
using CoreSearchCursor = AnalyticsHub.Core.Query.SearchCursor;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// <c>analyticshub.v1.QueryService</c>: the same queries as REST, mapped onto the same spec and
/// validation. Invalid queries → INVALID_ARGUMENT with every problem; too many groups →
/// RESOURCE_EXHAUSTED; store down → UNAVAILABLE; over the time limit → DEADLINE_EXCEEDED.
/// Undefined values (the average of nothing) are left out of a point's value map.
/// </summary>
public sealed class QueryGrpcService(QueryExecutor executor, QueryMetrics metrics)
{
    public void Register(GrpcServiceRegistry registry) =>
        registry.AddService(QueryReflection.Descriptor.Services[0])
            .Unary<QueryRequest, QueryResponse>("Query", QueryAsync)
            .Unary<SearchEventsRequest, SearchEventsResponse>("SearchEvents", SearchAsync);

    private async ValueTask<QueryResponse> QueryAsync(QueryRequest request, ServerCallContext context)
    {
        var query = QueryValidator.Validate(SpecOf(request), DateTimeOffset.UtcNow, executor.Limits, executor.Dimensions);
        if (!query.IsValid)
        {
            metrics.Rejected();
            throw new RpcException(StatusCode.InvalidArgument, QueryEndpoints.Summary(query.Errors));
        }

        var answer = await Guard(() => executor.RunAsync(query.Value, RequestTraceContext.ParentOf(context.HttpContext.Request.Headers), context.CancellationToken)).ConfigureAwait(false);
        var response = new QueryResponse { Source = answer.Result.Source, Cached = answer.Result.Cached, TookMs = answer.TookMs };
        var columns = answer.Result.Columns;
        foreach (var series in answer.Result.Series)
        {
            var message = new Series();
            foreach (var (name, value) in series.Group)
            {
                message.Group[name] = value;
            }
            foreach (var point in series.Points)
            {
                var p = new SeriesPoint { BucketStartUnixNano = (ulong)point.BucketStartUnixNano };
                for (int i = 0; i < columns.Count; i++)
                {
                    if (double.IsFinite(point.Values[i]))
                    {
                        p.Values[columns[i]] = point.Values[i];
                    }
                }
                message.Points.Add(p);
            }
            response.Series.Add(message);
        }
        return response;
    }

    private async ValueTask<SearchEventsResponse> SearchAsync(SearchEventsRequest request, ServerCallContext context)
    {
        var spec = new SearchSpec
        {
            TenantId = Empty(request.TenantId),
            TimeRange = RangeOf(request.TimeRange),
            Filters = [.. request.Filters.Select(FilterOf)],
            Limit = request.Limit == 0 ? null : request.Limit,
            Cursor = Empty(request.Cursor),
            Severity = Empty(request.MinSeverity),
            CorrelationId = Empty(request.CorrelationId),
            Offset = request.Offset == 0 ? null : request.Offset,
        };
        var query = EventSearchValidator.Validate(spec, DateTimeOffset.UtcNow, executor.Limits, executor.Dimensions);
        if (!query.IsValid)
        {
            metrics.Rejected();
            throw new RpcException(StatusCode.InvalidArgument, QueryEndpoints.Summary(query.Errors));
        }

        var page = await Guard(() => executor.SearchAsync(query.Value, RequestTraceContext.ParentOf(context.HttpContext.Request.Headers), context.CancellationToken)).ConfigureAwait(false);
        var response = new SearchEventsResponse { NextCursor = page.Next is CoreSearchCursor next ? SearchCursorCodec.Encode(next) : "" };
        foreach (var e in page.Events)
        {
            response.Events.Add(SearchedEventMessage.From(e));
        }
        return response;
    }

    private static async Task<T> Guard<T>(Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (QueryRejectedException e)
        {
            throw new RpcException(e.Reason == QueryRejection.TooManyGroups ? StatusCode.ResourceExhausted : StatusCode.InvalidArgument, e.Message);
        }
        catch (StoreUnavailableException e)
        {
            throw new RpcException(StatusCode.Unavailable, "The store cannot answer right now: " + e.Message);
        }
        catch (StoreRejectedException e)
        {
            throw new RpcException(StatusCode.InvalidArgument, "The store refused the query: " + e.Message);
        }
        catch (OperationCanceledException e) when (e.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, "The query ran past its time limit; narrow the time range or the filters.");
        }
    }

    internal static QuerySpec SpecOf(QueryRequest request) => new()
    {
        TenantId = Empty(request.TenantId),
        Metric = Empty(request.Metric),
        Composite = Empty(request.Composite),
        TimeRange = RangeOf(request.TimeRange),
        Filters = [.. request.Filters.Select(FilterOf)],
        Functions = [.. request.Aggregation?.Functions ?? []],
        TimeBucket = Empty(request.Aggregation?.TimeBucket),
        GroupBy = [.. request.Aggregation?.GroupBy ?? []],
        OrderBy = [.. request.OrderBy.Select(o => new OrderSpec { Field = o.Field, Direction = o.Descending ? "desc" : "asc" })],
        Limit = request.Limit,
    };

    private static TimeRangeSpec? RangeOf(TimeRange? range) => range is null ? null : new TimeRangeSpec
    {
        Start = range.StartUnixNano == 0 ? null : range.StartUnixNano.ToString(System.Globalization.CultureInfo.InvariantCulture),
        End = range.EndUnixNano == 0 ? null : range.EndUnixNano.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Relative = Empty(range.Relative),
    };

    private static FilterSpec FilterOf(Filter filter) => new() { Field = filter.Field, Op = filter.Op, Values = [.. filter.Values] };

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
