namespace AnalyticsHub.Server.Metrics;

/// <summary>The two text formats Prometheus scrapes.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4 (the default).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0 text: <c># UNIT</c>, counters' family without <c>_total</c>, a final <c># EOF</c>.</summary>
    OpenMetrics,
}

/// <summary>Content types and negotiation from the scraper's Accept header.</summary>
public static class ExpositionFormats
{
    public const string PrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static string ContentType(ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetrics ? OpenMetricsContentType : PrometheusTextContentType;

    /// <summary>
    /// OpenMetrics when the Accept header asks for <c>application/openmetrics-text</c> at least as
    /// strongly (q) as for any text format it also accepts; Prometheus text otherwise. Prometheus 2.x
    /// sends <c>application/openmetrics-text;version=1.0.0,...,text/plain;version=0.0.4;q=0.5,*/*;q=0.1</c>.
    /// </summary>
    public static ExpositionFormat Negotiate(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return ExpositionFormat.PrometheusText;
        }

        double openMetrics = 0;
        double text = 0;
        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            double q = 1;
            string? version = null;
            foreach (var parameter in parts.AsSpan(1))
            {
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                {
                    q = double.TryParse(parameter.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                }
                else if (parameter.StartsWith("version=", StringComparison.OrdinalIgnoreCase))
                {
                    version = parameter[8..];
                }
            }

            var mediaType = parts[0];
            if (mediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                // Only 1.0.0 is written; 0.0.1 is the same text for everything this exporter emits.
                if (version is null or "1.0.0" or "0.0.1")
                {
                    openMetrics = Math.Max(openMetrics, q);
                }
            }
            else if (mediaType is "text/plain" or "text/*" or "*/*")
            {
                text = Math.Max(text, q);
            }
        }

        return openMetrics > 0 && openMetrics >= text ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
    }
}
