using System.Globalization;
using System.Text;

namespace AnalyticsHub.Cli.Forecasting;

/// <summary>One named series of a file.</summary>
internal sealed record NamedSeries(string Id, double[] Values);

/// <summary>Series files in the M4 layout: one series per line, its id then its values, comma-separated, cells
/// optionally double-quoted; empty cells (the padding of shorter rows) are ignored. A first line whose value
/// cells are not numbers (M4's "V1","V2",… header) is skipped. Forecast files have the header id,F1,…,FH.</summary>
internal static class SeriesFile
{
    public static IReadOnlyList<NamedSeries> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"input file not found: {path}");
        }
        var series = new List<NamedSeries>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var cells = line.Split(',');
            if (lineNumber == 1 && IsHeader(cells))
            {
                continue;
            }
            series.Add(ParseRow(cells, path, lineNumber));
        }
        if (series.Count == 0)
        {
            throw new InputException($"{path}: no series");
        }
        return series;
    }

    /// <summary>Writes id,F1,…,FH then one row per series, values in round-trip invariant format.</summary>
    public static void WriteForecasts(string path, IReadOnlyList<string> ids, IReadOnlyList<double[]> rows)
    {
        var horizon = rows.Count > 0 ? rows[0].Length : 0;
        var text = new StringBuilder("id");
        for (var h = 1; h <= horizon; h++)
        {
            text.Append(",F").Append(h.ToString(CultureInfo.InvariantCulture));
        }
        text.Append('\n');
        for (var i = 0; i < ids.Count; i++)
        {
            text.Append(ids[i]);
            foreach (var value in rows[i])
            {
                text.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        try
        {
            File.WriteAllText(path, text.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write {path}: {e.Message}");
        }
    }

    private static bool IsHeader(string[] cells) =>
        cells.Length > 1 && cells.Skip(1).All(c => Unquote(c).Length == 0 || !double.TryParse(Unquote(c), NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static NamedSeries ParseRow(string[] cells, string path, int lineNumber)
    {
        var id = Unquote(cells[0]);
        if (id.Length == 0)
        {
            throw new InputException($"{path}:{lineNumber}: empty series id");
        }
        var values = new List<double>(cells.Length - 1);
        for (var i = 1; i < cells.Length; i++)
        {
            var cell = Unquote(cells[i]);
            if (cell.Length == 0)
            {
                continue;
            }
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InputException($"{path}:{lineNumber}: series {id}, value {i}: '{cell}' is not a finite number");
            }
            values.Add(value);
        }
        return new NamedSeries(id, [.. values]);
    }

    private static string Unquote(string cell)
    {
        var trimmed = cell.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }
}
