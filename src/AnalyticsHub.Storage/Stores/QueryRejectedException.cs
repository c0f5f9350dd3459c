namespace AnalyticsHub.Storage.Stores;

/// <summary>Why a store refused to run a query.</summary>
public enum QueryRejection
{
    /// <summary>The answer would exceed <see cref="EventQueryLimits.MaxCells"/> (HTTP 422: narrow the filters or group by fewer fields).</summary>
    TooManyGroups,

    /// <summary>A value the store cannot take: a NUL character, a malformed cursor (HTTP 400).</summary>
    InvalidValue,
}

/// <summary>A query a store will not run as asked; the message is meant for the client.</summary>
public sealed class QueryRejectedException : Exception
{
    public QueryRejectedException(QueryRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public QueryRejectedException()
        : this(QueryRejection.InvalidValue, "The query was rejected.")
    {
    }

    public QueryRejectedException(string message)
        : this(QueryRejection.InvalidValue, message)
    {
    }

    public QueryRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = QueryRejection.InvalidValue;
    }

    public QueryRejection Reason { get; }

    internal static QueryRejectedException TooManyGroups(int limit) => new(
        QueryRejection.TooManyGroups,
        $"too many groups: the query would return more than {limit:N0} (bucket, group) cells; narrow the filters, widen the buckets or group by fewer fields");
}
