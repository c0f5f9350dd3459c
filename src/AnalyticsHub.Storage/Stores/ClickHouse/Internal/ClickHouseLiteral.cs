using System.Globalization;
using System.Text;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// The one way a value gets into ClickHouse SQL text (18.16 has no query parameters): strings as
/// single-quoted literals, numbers in the invariant culture. Every user-given string of a query goes
/// through <see cref="Quote"/>.
/// </summary>
internal static class ClickHouseLiteral
{
    /// <summary>
    /// <paramref name="value"/> as a ClickHouse string literal: in single quotes, with <c>\</c> written
    /// <c>\\</c> and <c>'</c> written <c>\'</c>, everything else as its UTF-8 bytes (ClickHouse takes
    /// newlines, tabs and any Unicode inside quotes as they are). A backslash can then never escape the
    /// closing quote, and a quote can never end the literal early. NUL is refused: the server would
    /// take it, but no stored text holds one, so it can only be an attack or a mistake.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains U+0000.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sql = new StringBuilder(value.Length + 2).Append('\'');
        foreach (char c in value)
        {
            switch (c)
            {
                case '\0':
                    throw new ArgumentException("A ClickHouse string literal cannot hold NUL (U+0000).", nameof(value));
                case '\\':
                    sql.Append(@"\\");
                    break;
                case '\'':
                    sql.Append(@"\'");
                    break;
                default:
                    sql.Append(c);
                    break;
            }
        }

        return sql.Append('\'').ToString();
    }

    /// <summary>A finite double as a literal ClickHouse parses back to the same bits (shortest round-trip form).</summary>
    public static string Real(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "only finite numbers are written as literals");
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
