using System.Text.Json;

namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// One NAB scoring profile: what an early detection inside a window earns (<see cref="TpWeight"/>), what a detection
/// outside every window costs at most (<see cref="FpWeight"/>) and what a missed window costs (<see cref="FnWeight"/>).
/// </summary>
public sealed record NabProfile(string Name, double TpWeight, double FpWeight, double FnWeight)
{
    /// <summary>NAB's default profile (tp 1, fp 0.11, fn 1).</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>Reads NAB's profiles.json: <c>{"name": {"CostMatrix": {"tpWeight": …, "fpWeight": …, "fnWeight": …}}}</c>,
    /// in file order.</summary>
    public static IReadOnlyList<NabProfile> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        var profiles = new List<NabProfile>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var costs = entry.Value.GetProperty("CostMatrix");
            profiles.Add(new NabProfile(entry.Name, costs.GetProperty("tpWeight").GetDouble(),
                costs.GetProperty("fpWeight").GetDouble(), costs.GetProperty("fnWeight").GetDouble()));
        }
        return profiles;
    }
}
