using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// Writes exposition text as UTF-8 straight into a buffer writer (the response pipe): names and
/// labels are pre-encoded bytes, numbers are formatted in place, so a scrape allocates nothing per sample.
/// </summary>
internal readonly struct MetricTextWriter(IBufferWriter<byte> output)
{
    private const int MaxNumberLength = 32;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    public void Write(byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    public void Write(long value)
    {
        var span = output.GetSpan(MaxNumberLength);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    /// <summary>A sample value as Prometheus parses it: <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>, integers plainly, otherwise shortest round-trip.</summary>
    public void Write(double value) => output.Advance(FormatDouble(value, output.GetSpan(MaxNumberLength), canonical: false));

    /// <summary>
    /// A number in OpenMetrics' canonical form when <paramref name="canonical"/> (integers as <c>1.0</c>),
    /// used for <c>le</c> label values, which OpenMetrics compares as text.
    /// </summary>
    public static int FormatDouble(double value, Span<byte> span, bool canonical)
    {
        if (double.IsNaN(value))
        {
            return Ascii("NaN", span);
        }

        if (double.IsPositiveInfinity(value))
        {
            return Ascii("+Inf", span);
        }

        if (double.IsNegativeInfinity(value))
        {
            return Ascii("-Inf", span);
        }

        int written;
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            Utf8Formatter.TryFormat((long)value, span, out written);
            if (canonical)
            {
                written += Ascii(".0", span[written..]);
            }

            return written;
        }

        value.TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    private static int Ascii(string text, Span<byte> span) => Encoding.ASCII.GetBytes(text, span);
}
