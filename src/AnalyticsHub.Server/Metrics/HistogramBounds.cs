namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// Fixed explicit bucket upper bounds, chosen by the exported unit (an instrument's advice wins):
/// latencies from 0.5 ms to 30 s, sizes and counts in powers of 4 — wide enough for the hub's
/// ranges with about a dozen buckets, so a histogram stays cheap to scrape and to store.
/// </summary>
internal static class HistogramBounds
{
    public static readonly double[] Seconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>256 B … 256 MiB.</summary>
    public static readonly double[] Bytes = PowersOf4(from: 4, to: 14);

    /// <summary>1 … 1,048,576 (events per batch, rows per write).</summary>
    public static readonly double[] Counts = PowersOf4(from: 0, to: 10);

    public static double[] For(PrometheusName name, IEnumerable<double>? advice)
    {
        if (advice is not null)
        {
            var scaled = advice.Select(b => b * name.Scale).Where(double.IsFinite).Distinct().Order().ToArray();
            if (scaled.Length > 0)
            {
                return scaled;
            }
        }

        return name.Unit switch
        {
            "seconds" => Seconds,
            "bytes" => Bytes,
            _ => Counts,
        };
    }

    private static double[] PowersOf4(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(e => Math.Pow(4, e)).ToArray();
}
