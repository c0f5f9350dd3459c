using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using AnalyticsHub.Server.Metrics;

namespace AnalyticsHub.Server.UnitTests.Metrics;

/// <summary>A meter of its own (unique name) and an exporter that sees only it, so tests do not see each other's instruments.</summary>
internal sealed class ExporterHarness : IDisposable
{
    public ExporterHarness()
    {
        Meter = new Meter("AnalyticsHub.Test." + Guid.NewGuid().ToString("N"));
        var name = Meter.Name;
        Exporter = new PrometheusExporter(meter => meter == name);
    }

    public Meter Meter { get; }

    public PrometheusExporter Exporter { get; }

    public string Scrape(ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Exporter.Write(buffer, format);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The sample lines (no comments) of a scrape.</summary>
    public string[] Samples(ExpositionFormat format = ExpositionFormat.PrometheusText) =>
        Scrape(format).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
