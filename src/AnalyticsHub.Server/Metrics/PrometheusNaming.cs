using System.Text;

namespace AnalyticsHub.Server.Metrics;

/// <summary>The Prometheus name of an instrument and the factor that converts its values to the name's base unit.</summary>
/// <param name="Family">Metric family name: snake_case, unit suffix included, without a counter's <c>_total</c>.</param>
/// <param name="Unit">Base unit for OpenMetrics' <c># UNIT</c> (<c>seconds</c>, <c>bytes</c>, <c>ratio</c>), or null.</param>
/// <param name="Scale">Multiplies every measurement (0.001 for <c>ms</c>, so latencies are exposed in seconds).</param>
internal readonly record struct PrometheusName(string Family, string? Unit, double Scale);

/// <summary>
/// Maps .NET instrument and tag names onto Prometheus conventions (the rules of OpenTelemetry's
/// Prometheus exporter, plus what <c>promtool check metrics</c> lints): snake_case, base units as
/// suffixes, <c>_total</c> only on counters, no reserved suffixes on gauges.
/// </summary>
internal static class PrometheusNaming
{
    private static readonly string[] ReservedSuffixes = ["_total", "_count", "_sum", "_bucket", "_created"];

    public static PrometheusName For(string instrumentName, string? unit, MetricType type)
    {
        var (unitSuffix, scale) = BaseUnit(unit, type);
        var family = Sanitize(instrumentName);
        if (type == MetricType.Counter && family.EndsWith("_total", StringComparison.Ordinal) && family.Length > 6)
        {
            family = family[..^6];
        }

        if (unitSuffix is not null && !family.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            family += "_" + unitSuffix;
        }

        // A gauge named like a histogram's or counter's sample (dotnet.timer.count → dotnet_timer_count)
        // would read as part of another family to Prometheus; promtool rejects it.
        if (type == MetricType.Gauge && ReservedSuffixes.Any(s => family.EndsWith(s, StringComparison.Ordinal)))
        {
            family += "_value";
        }

        return new PrometheusName(family, unitSuffix, scale);
    }

    /// <summary>A label name: snake_case; <c>le</c> and <c>quantile</c>, reserved by Prometheus, get a trailing underscore.</summary>
    public static string LabelName(string tagName)
    {
        var name = Sanitize(tagName);
        return name is "le" or "quantile" ? name + "_" : name;
    }

    /// <summary>UCUM unit (as .NET and OpenTelemetry write them) → Prometheus base unit and conversion factor.</summary>
    private static (string? Suffix, double Scale) BaseUnit(string? unit, MetricType type) => unit switch
    {
        "s" => ("seconds", 1),
        "ms" => ("seconds", 1e-3),
        "us" => ("seconds", 1e-6),
        "ns" => ("seconds", 1e-9),
        "By" => ("bytes", 1),
        "By/s" => ("bytes_per_second", 1),
        "1" when type == MetricType.Gauge => ("ratio", 1),
        _ => (null, 1), // "{event}" and other annotations name no unit
    };

    /// <summary>Lower snake_case from dotted, dashed or camelCase names; only [a-z0-9_], never a leading digit or repeated underscores.</summary>
    internal static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        char previous = '_';
        foreach (char c in name)
        {
            char next;
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                next = c;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                if (previous is >= 'a' and <= 'z' or >= '0' and <= '9')
                {
                    text.Append('_');
                }

                next = (char)(c + ('a' - 'A'));
            }
            else
            {
                next = '_';
            }

            if (next == '_' && (previous == '_' || text.Length == 0))
            {
                continue;
            }

            if (text.Length == 0 && next is >= '0' and <= '9')
            {
                text.Append('_');
            }

            text.Append(next);
            previous = next;
        }

        while (text.Length > 0 && text[^1] == '_')
        {
            text.Length--;
        }

        return text.Length == 0 ? "_" : text.ToString();
    }
}
