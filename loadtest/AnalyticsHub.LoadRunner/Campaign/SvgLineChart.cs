using System.Globalization;
using System.Net;
using System.Text;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>
/// A small self-contained SVG line chart (no script, no external file): series over the seconds
/// of a run, a linear y axis from 0 with five gridlines, a legend. Enough for a report, not a plotting library.
/// </summary>
internal static class SvgLineChart
{
    private const int Width = 760;
    private const int Height = 230;
    private const int Left = 70;
    private const int Right = 150;
    private const int Top = 24;
    private const int Bottom = 30;

    public sealed record Series(string Name, string Color, IReadOnlyList<double> Values, bool Dashed = false);

    public static string Render(string title, string unit, IReadOnlyList<Series> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var c = CultureInfo.InvariantCulture;
        var points = series.Count == 0 ? 0 : series.Max(s => s.Values.Count);
        var max = series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var yMax = NiceCeiling(max <= 0 ? 1 : max * 1.05);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(int i) => Left + (points <= 1 ? 0 : plotWidth * i / (double)(points - 1));
        double Y(double v) => Top + plotHeight - (plotHeight * Math.Clamp(v / yMax, 0, 1));

        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        svg.Append(c, $"<text x=\"{Left}\" y=\"15\" font-size=\"13\" font-weight=\"bold\">{Encode(title)}</text>");
        for (var g = 0; g <= 4; g++)
        {
            var value = yMax * g / 4;
            var y = Y(value);
            svg.Append(c, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotWidth}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>");
            svg.Append(c, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{Encode(Short(value))}</text>");
        }

        svg.Append(c, $"<text x=\"{Left + plotWidth}\" y=\"{Height - 6}\" font-size=\"11\" text-anchor=\"end\">second → ({points})</text>");
        svg.Append(c, $"<text x=\"12\" y=\"{Top + (plotHeight / 2)}\" font-size=\"11\" transform=\"rotate(-90 12 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{Encode(unit)}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var line = series[s];
            var path = new StringBuilder();
            for (var i = 0; i < line.Values.Count; i++)
            {
                if (double.IsFinite(line.Values[i]))
                {
                    path.Append(c, $"{X(i):0.#},{Y(line.Values[i]):0.#} ");
                }
            }

            svg.Append(c, $"<polyline fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"1.6\"{(line.Dashed ? " stroke-dasharray=\"5 3\"" : "")} points=\"{path.ToString().TrimEnd()}\"/>");
            var legendY = Top + 6 + (s * 16);
            svg.Append(c, $"<line x1=\"{Width - Right + 12}\" y1=\"{legendY}\" x2=\"{Width - Right + 32}\" y2=\"{legendY}\" stroke=\"{line.Color}\" stroke-width=\"2\"{(line.Dashed ? " stroke-dasharray=\"5 3\"" : "")}/>");
            svg.Append(c, $"<text x=\"{Width - Right + 38}\" y=\"{legendY + 4}\" font-size=\"11\">{Encode(line.Name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2, 2.5 or 5 × a power of ten at or above <paramref name="value"/>.</summary>
    public static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    private static string Short(double value) => value switch
    {
        >= 1e6 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (value / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
