using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// The names queries spell functions, operators, buckets, composites and enum values with, and
/// their canonical (lowercase) forms for results, messages and cache keys. Module, event type and
/// severity names go through the ingestion parsers (<see cref="SourceModuleNames"/>,
/// <see cref="EnumNames"/>, <see cref="SeverityMapper"/>), so a query accepts what ingestion accepts.
/// </summary>
public static class QueryNames
{
    public const string Functions = "count, sum, avg, min, max, stddev, p50, p90, p95, p99, rate";
    public const string Operators = "eq, neq, in, gt, gte, lt, lte, contains";
    public const string Buckets = "1m, 5m, 15m, 1h, 1d";
    public const string Composites = "cost_per_request, error_adjusted_throughput, cost_per_1k_tokens";
    public const string EventTypes = "telemetry, security, cost, governance, metadata, policy";
    public const string Severities = "debug, info, warning, error, critical (also trace, notice, warn, err, fatal, low, medium, high …)";

    private static readonly AggregateFunction[] AllFunctions = Enum.GetValues<AggregateFunction>();
    private static readonly FilterOperator[] AllOperators = Enum.GetValues<FilterOperator>();

    public static string Name(AggregateFunction function) => function switch
    {
        AggregateFunction.Count => "count",
        AggregateFunction.Sum => "sum",
        AggregateFunction.Avg => "avg",
        AggregateFunction.Min => "min",
        AggregateFunction.Max => "max",
        AggregateFunction.StdDev => "stddev",
        AggregateFunction.P50 => "p50",
        AggregateFunction.P90 => "p90",
        AggregateFunction.P95 => "p95",
        AggregateFunction.P99 => "p99",
        AggregateFunction.Rate => "rate",
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    public static bool TryParseFunction(string text, out AggregateFunction function)
    {
        foreach (var candidate in AllFunctions)
        {
            if (string.Equals(Name(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                function = candidate;
                return true;
            }
        }

        function = default;
        return false;
    }

    public static string Name(FilterOperator op) => op switch
    {
        FilterOperator.Eq => "eq",
        FilterOperator.Neq => "neq",
        FilterOperator.In => "in",
        FilterOperator.Gt => "gt",
        FilterOperator.Gte => "gte",
        FilterOperator.Lt => "lt",
        FilterOperator.Lte => "lte",
        FilterOperator.Contains => "contains",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static bool TryParseOperator(string text, out FilterOperator op)
    {
        foreach (var candidate in AllOperators)
        {
            if (string.Equals(Name(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                op = candidate;
                return true;
            }
        }

        op = default;
        return false;
    }

    public static string Name(CompositeMetric composite) => composite switch
    {
        CompositeMetric.CostPerRequest => "cost_per_request",
        CompositeMetric.ErrorAdjustedThroughput => "error_adjusted_throughput",
        CompositeMetric.CostPer1kTokens => "cost_per_1k_tokens",
        _ => "",
    };

    public static bool TryParseComposite(string text, out CompositeMetric composite)
    {
        composite = text.Trim().ToLowerInvariant() switch
        {
            "cost_per_request" => CompositeMetric.CostPerRequest,
            "error_adjusted_throughput" => CompositeMetric.ErrorAdjustedThroughput,
            "cost_per_1k_tokens" => CompositeMetric.CostPer1kTokens,
            _ => CompositeMetric.None,
        };
        return composite != CompositeMetric.None;
    }

    /// <summary>Bucket width in seconds of <c>1m</c>, <c>5m</c>, <c>15m</c>, <c>1h</c>, <c>1d</c> (case-insensitive).</summary>
    public static bool TryParseBucket(string text, out long seconds)
    {
        seconds = text.Trim().ToLowerInvariant() switch
        {
            "1m" => 60,
            "5m" => 300,
            "15m" => 900,
            "1h" => 3_600,
            "1d" => 86_400,
            _ => 0,
        };
        return seconds != 0;
    }

    public static string BucketName(long seconds) => seconds switch
    {
        60 => "1m",
        300 => "5m",
        900 => "15m",
        3_600 => "1h",
        86_400 => "1d",
        0 => "",
        _ => $"{seconds}s",
    };

    /// <summary>The canonical module name (<c>llm-observatory</c>) of any spelling ingestion accepts; null when unknown.</summary>
    public static string? CanonicalModule(string text) =>
        SourceModuleNames.TryParseModule(text.Trim(), out var module) ? SourceModuleNames.Name(module) : null;

    public static string? CanonicalEventType(string text) =>
        EnumNames.TryParse(text.Trim(), out EventType type) ? EnumNames.Of(type) : null;

    public static bool TryParseSeverity(string text, out Severity severity)
    {
        severity = Severity.Unspecified;
        return text.Length <= 64 && SeverityMapper.TryMap(Encoding.UTF8.GetBytes(text), out severity);
    }

    public static string? CanonicalSeverity(string text) =>
        TryParseSeverity(text, out var severity) ? EnumNames.Of(severity) : null;

    /// <summary>True for C0/C1 control characters, which no name, key or id may hold.</summary>
    public static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="text"/> quoted for a message, cut at 64 characters.</summary>
    public static string Quote(string text)
    {
        var shown = text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "…");
        var builder = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('\'').ToString();
    }
}
