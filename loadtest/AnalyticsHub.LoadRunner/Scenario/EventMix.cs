using System.Globalization;
using System.Text;

namespace AnalyticsHub.LoadRunner.Scenario;

/// <summary>
/// Shares of each <see cref="EventKind"/> in a batch, as weights (<c>telemetry=70,cost=15,policy=10,security=5</c>;
/// they need not add up to 100).
/// </summary>
public sealed class EventMix
{
    private EventMix(IReadOnlyList<(EventKind Kind, double Weight)> weights) => Weights = weights;

    /// <summary>70% telemetry, 15% cost, 10% policy, 5% security.</summary>
    public static EventMix Default { get; } = new([(EventKind.Telemetry, 70), (EventKind.Cost, 15), (EventKind.Policy, 10), (EventKind.Security, 5)]);

    public IReadOnlyList<(EventKind Kind, double Weight)> Weights { get; }

    /// <summary>Parses <c>kind=weight[,kind=weight...]</c>; kinds: telemetry, cost, policy, security.</summary>
    public static bool TryParse(string text, out EventMix mix, out string? error)
    {
        mix = Default;
        error = null;
        var weights = new List<(EventKind, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0
                || !Enum.TryParse<EventKind>(part[..eq].Trim(), ignoreCase: true, out var kind)
                || !Enum.IsDefined(kind)
                || !double.TryParse(part[(eq + 1)..].Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || !double.IsFinite(weight) || weight < 0)
            {
                error = $"'{part}' is not kind=weight (kinds: telemetry, cost, policy, security; weight ≥ 0)";
                return false;
            }

            if (weights.Exists(w => w.Item1 == kind))
            {
                error = $"'{kind.ToString().ToLowerInvariant()}' is given twice";
                return false;
            }

            if (weight > 0)
            {
                weights.Add((kind, weight));
            }
        }

        if (weights.Count == 0)
        {
            error = "the mix has no kind with a weight above 0";
            return false;
        }

        mix = new EventMix(weights);
        return true;
    }

    /// <summary>
    /// How many events of each kind a batch of <paramref name="batchSize"/> holds: the weights'
    /// shares rounded by largest remainder, so the counts add up to the batch size exactly.
    /// </summary>
    public int[] CountsFor(int batchSize)
    {
        var total = Weights.Sum(w => w.Weight);
        var exact = Weights.Select(w => w.Weight / total * batchSize).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var missing = batchSize - counts.Sum();
        foreach (var i in Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(missing))
        {
            counts[i]++;
        }

        return counts;
    }

    public override string ToString()
    {
        var total = Weights.Sum(w => w.Weight);
        var text = new StringBuilder();
        foreach (var (kind, weight) in Weights)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(CultureInfo.InvariantCulture, $"{kind.ToString().ToLowerInvariant()}={weight / total * 100:0.##}");
        }

        return text.ToString();
    }
}
