using System.Globalization;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>A ClickHouse server version as <c>SELECT version()</c> answers it (<c>18.16.1</c>, <c>24.8.4.13</c>).</summary>
public readonly record struct ClickHouseServerVersion(int Major, int Minor, int Patch, string Text) : IComparable<ClickHouseServerVersion>
{
    /// <summary>
    /// First version given the <see cref="ClickHouseTableLayout.Modern"/> layout: 20.3 (LTS) is the first with
    /// all of <c>DateTime64</c> (20.1), skip indices without the experimental switch (20.1.2), column codecs
    /// (19.x), table TTL (19.6), <c>ttl_only_drop_parts</c> (19.x) and <c>LowCardinality</c> without the
    /// experimental switch (19.x).
    /// </summary>
    public static readonly ClickHouseServerVersion FirstModern = new(20, 3, 0, "20.3");

    /// <summary>The layout new tables get on this server.</summary>
    public ClickHouseTableLayout LayoutForNewTables => CompareTo(FirstModern) >= 0 ? ClickHouseTableLayout.Modern : ClickHouseTableLayout.Legacy;

    public static bool TryParse(string text, out ClickHouseServerVersion version)
    {
        version = default;
        var parts = text.Trim().Split('.');
        if (parts.Length < 2)
        {
            return false;
        }

        int[] numbers = new int[3];
        for (int i = 0; i < Math.Min(3, parts.Length); i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new ClickHouseServerVersion(numbers[0], numbers[1], numbers[2], text.Trim());
        return true;
    }

    public int CompareTo(ClickHouseServerVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public override string ToString() => Text;
}
