namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>
/// The model names events carry (<c>--models N</c>): the four well-known ones first, then
/// <c>model-005</c>, <c>model-006</c>, … so that N distinct values become N rollup series per
/// metric, region and environment.
/// </summary>
public static class ModelNames
{
    public const int Default = 4;

    public const int Max = 10_000;

    private static readonly string[] WellKnown = ["gpt-4o", "claude-3-5-sonnet", "llama-3-70b", "mistral-large"];

    /// <summary>The four default names (what the generator used before <c>--models</c>).</summary>
    public static IReadOnlyList<string> Defaults => WellKnown;

    /// <summary><paramref name="count"/> distinct names (1 to <see cref="Max"/>).</summary>
    public static string[] Create(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Max);
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = i < WellKnown.Length ? WellKnown[i] : $"model-{i + 1:D3}";
        }

        return names;
    }
}
