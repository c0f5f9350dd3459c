using System.Globalization;
using System.Text;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Nab;

/// <summary>Writes a NAB-shaped folder: two 5-minute series of <see cref="Rows"/> rows under data/cat/, a spike in
/// a.csv at row 125 inside its one window (rows 120–130), b.csv clean; two profiles.</summary>
internal static class TinyNabCorpus
{
    public const int Rows = 200;

    public static void Write(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "data", "cat"));
        Directory.CreateDirectory(Path.Combine(root, "labels"));
        File.WriteAllText(Path.Combine(root, "data", "cat", "a.csv"), Series(spikeRow: 125));
        File.WriteAllText(Path.Combine(root, "data", "cat", "b.csv"), Series(spikeRow: -1));
        File.WriteAllText(Path.Combine(root, "labels", "combined_windows.json"),
            "{\n \"cat/a.csv\": [[\"" + Time(120) + ".000000\", \"" + Time(130) + ".000000\"]],\n \"cat/b.csv\": []\n}\n");
        File.WriteAllText(Path.Combine(root, "profiles.json"), """
            {"standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
             "reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}}}
            """);
    }

    public static string Time(int row) =>
        new DateTime(2014, 4, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(5 * row).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Series(int spikeRow)
    {
        var text = new StringBuilder("timestamp,value\n");
        for (var row = 0; row < Rows; row++)
        {
            var value = row == spikeRow ? 100.0 : 10 + (row % 7 * 0.5);
            text.Append(Time(row)).Append(',').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
