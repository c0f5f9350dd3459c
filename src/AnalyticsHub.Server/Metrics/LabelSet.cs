using System.Globalization;
using System.Text;

namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// One series' tags: kept as given (to match later measurements without allocating) and rendered
/// once as escaped exposition text <c>a="x",b="y"</c> (names sanitised, sorted), copied on every scrape.
/// </summary>
internal sealed class LabelSet
{
    public static readonly LabelSet Empty = new([]);

    private readonly KeyValuePair<string, object?>[] _tags;

    public LabelSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _tags = tags.ToArray();
        var labels = _tags
            .Select(t => (Name: PrometheusNaming.LabelName(t.Key), Value: ValueText(t.Value)))
            .GroupBy(l => l.Name, StringComparer.Ordinal)
            .Select(g => g.First()) // two tags sanitised to one name: the first wins, the text stays valid
            .OrderBy(l => l.Name, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"");
            AppendEscaped(text, value, escapeQuote: true);
            text.Append('"');
        }

        Text = text.ToString();
        Utf8 = Encoding.UTF8.GetBytes(Text);
    }

    /// <summary>The rendered labels without braces; also the series' sort key.</summary>
    public string Text { get; }

    public byte[] Utf8 { get; }

    public bool IsEmpty => _tags.Length == 0;

    /// <summary>Same tags, in any order, with equal values.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (!Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Escapes backslash and newline, and double quote when <paramref name="escapeQuote"/> (label values; OpenMetrics HELP).</summary>
    public static void AppendEscaped(StringBuilder text, string value, bool escapeQuote)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\n': text.Append(@"\n"); break;
                case '"' when escapeQuote: text.Append("\\\""); break;
                default: text.Append(c); break;
            }
        }
    }

    private bool Contains(KeyValuePair<string, object?> tag)
    {
        foreach (var own in _tags)
        {
            if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal) && Equals(own.Value, tag.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static string ValueText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
