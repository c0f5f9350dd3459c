using System.Text.Json;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Server.Endpoints;
using AnalyticsHub.Server.Query;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// Rendering the latency target's answer (24 h at 1 m buckets, avg/p50/p95/p99, 50 series: 72,000 points) as the
/// REST <c>data</c> object, in each <see cref="ResultFormat"/> — the work a cached answer does once and a store answer
/// does per request — and what a cache hit costs instead: copying the rendered bytes into a response pipe.
/// One operation = one answer.
/// </summary>
[BenchmarkCategory("Query")]
public class QueryAnswerBenchmarks
{
    private const int Models = 50;
    private const int Buckets = 1440;
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T12:00:30Z", System.Globalization.CultureInfo.InvariantCulture);

    private MetricQuery _query = null!;
    private QueryResult _result = null!;
    private ChunkedBuffer _rendered = null!;
    private readonly System.IO.Pipelines.Pipe _pipe = new(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));

    [Params(ResultFormat.Points, ResultFormat.Columns)]
    public ResultFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var spec = new QuerySpec
        {
            Metric = "llm.request.latency",
            TimeRange = new TimeRangeSpec { Relative = "last 24h" },
            Functions = ["avg", "p50", "p95", "p99"],
            TimeBucket = "1m",
            GroupBy = ["model"],
        };
        _query = QueryValidator.Validate(spec, Now, QueryLimits.Default, new SeriesDimensions([])).Value! with { Format = Format };
        var random = new Random(7);
        var series = new List<ResultSeries>(Models);
        for (int m = 0; m < Models; m++)
        {
            var points = new List<ResultPoint>(Buckets);
            for (int b = 0; b < Buckets; b++)
            {
                // Latencies as a sketch reports them: arbitrary doubles, shortest round-trip form ~17 digits.
                double p50 = 100 + (random.NextDouble() * 400);
                points.Add(new ResultPoint(_query.StartUnixNano + (b * 60_000_000_000L), [p50 * 1.1, p50, p50 * 2.3, p50 * 4.1]));
            }
            series.Add(new ResultSeries(new Dictionary<string, string> { ["model"] = "model-" + m }, points));
        }
        _result = new QueryResult { Columns = ["avg", "p50", "p95", "p99"], Series = series, Source = "rollup" };
        _rendered = Render();
        Console.WriteLine($"// {Format}: {_rendered.Length:N0} bytes");
    }

    [Benchmark]
    public long RenderData() => Render().Length;

    [Benchmark]
    public long SendRendered()
    {
        _rendered.WriteToAsync(_pipe.Writer, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _pipe.Reader.TryRead(out var read);
        long length = read.Buffer.Length;
        _pipe.Reader.AdvanceTo(read.Buffer.End);
        return length;
    }

    private ChunkedBuffer Render()
    {
        var buffer = new ChunkedBuffer();
        using (var json = new Utf8JsonWriter(buffer, HubJsonWriter.Options))
        {
            QueryDataWriter.Write(json, _query, _result, Format);
        }
        return buffer.Complete();
    }
}
