using System.Diagnostics;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;
using AnalyticsHub.Server.Tracing;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// <c>POST /api/v1/query</c> (the query JSON, see <see cref="QueryJson"/>) and
/// <c>GET /api/v1/events</c> (event search by query string, see <see cref="SearchQueryString"/>).
/// 200 with the answer; 400 with every problem found and what to change; 413 for a body over
/// the limit; 415 when not JSON; 422 when the store path would produce too many groups; 503 when
/// the store cannot answer; 504 when the query ran past its time limit.
/// </summary>
public static class QueryEndpoints
{
    private const int MaxQueryBodyBytes = 256 * 1024;

    public static void MapQueryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/query", QueryAsync);
        endpoints.MapGet("/api/v1/events", SearchAsync);
    }

    private static async Task QueryAsync(HttpContext context, QueryExecutor executor, QueryResultCache cache, QueryMetrics metrics)
    {
        long began = Stopwatch.GetTimestamp();
        var body = await JsonRequests.ReadJsonBodyAsync(context, MaxQueryBodyBytes, "query", "send a smaller query", began: 0).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        await ServeAsync(context, metrics, began, "invalid_query", QueryJson.Parse(body.Value),
            spec => QueryValidator.Validate(spec, DateTimeOffset.UtcNow, executor.Limits, executor.Dimensions),
            async query =>
            {
                var answer = await executor.RunAsync(query, RequestTraceContext.ParentOf(context.Request.Headers), context.RequestAborted).ConfigureAwait(false);
                return (body, cancellationToken) => QueryJsonWriter.WriteResultAsync(body, query, answer, cache, cancellationToken);
            }).ConfigureAwait(false);
    }

    private static async Task SearchAsync(HttpContext context, QueryExecutor executor, QueryMetrics metrics)
    {
        long began = Stopwatch.GetTimestamp();
        var pairs = context.Request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        await ServeAsync(context, metrics, began, "invalid_search", SearchQueryString.Parse(pairs),
            spec => EventSearchValidator.Validate(spec, DateTimeOffset.UtcNow, executor.Limits, executor.Dimensions),
            async query =>
            {
                var page = await executor.SearchAsync(query, RequestTraceContext.ParentOf(context.Request.Headers), context.RequestAborted).ConfigureAwait(false);
                double tookMs = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                return (body, _) =>
                {
                    QueryJsonWriter.WriteSearch(body, page, tookMs);
                    return Task.CompletedTask;
                };
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates a parsed spec (400 with every problem when either step fails), runs the query and
    /// maps store failures to statuses a client can act on. The answer is written straight into the
    /// response pipe (pooled segments, flushed as it goes), never into one large buffer: a day of
    /// 1 m buckets for 50 series is megabytes of JSON.
    /// </summary>
    private static async Task ServeAsync<TSpec, TQuery>(
        HttpContext context, QueryMetrics metrics, long began, string invalidCode,
        Validated<TSpec> spec, Func<TSpec, Validated<TQuery>> validate, Func<TQuery, Task<AnswerWriter>> run)
        where TSpec : class
        where TQuery : class
    {
        var query = spec.IsValid ? validate(spec.Value) : Validated<TQuery>.Fail(spec.Errors);
        if (!query.IsValid)
        {
            metrics.Rejected();
            await ErrorAsync(context, StatusCodes.Status400BadRequest, invalidCode, Summary(query.Errors), query.Errors, began).ConfigureAwait(false);
            return;
        }

        AnswerWriter write;
        try
        {
            write = await run(query.Value).ConfigureAwait(false);
        }
        catch (QueryRejectedException e) when (e.Reason == QueryRejection.TooManyGroups)
        {
            await ErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "too_many_groups", e.Message, null, began).ConfigureAwait(false);
            return;
        }
        catch (QueryRejectedException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_query", e.Message, null, began).ConfigureAwait(false);
            return;
        }
        catch (StoreUnavailableException e)
        {
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "store_unavailable", "The store cannot answer right now: " + e.Message, null, began).ConfigureAwait(false);
            return;
        }
        catch (StoreRejectedException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "store_rejected", "The store refused the query: " + e.Message, null, began).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await ErrorAsync(context, StatusCodes.Status504GatewayTimeout, "timeout", "The query ran past its time limit; narrow the time range or the filters.", null, began).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = context.Response.BodyWriter;
        await write(body, context.RequestAborted).ConfigureAwait(false);
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a computed answer into the response body.</summary>
    private delegate Task AnswerWriter(System.IO.Pipelines.PipeWriter body, CancellationToken cancellationToken);

    internal static string Summary(IReadOnlyList<QueryError> errors) =>
        errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems: " + string.Join("; ", errors.Select(e => e.ToString()));

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<QueryError>? details, long began = 0) =>
        JsonRequests.WriteErrorAsync(context, status, code, message, details, JsonRequests.Elapsed(began));
}
