using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>How exit codes of runs and stages combine: nothing acknowledged beats a threshold unmet beats passed.</summary>
public static class CampaignVerdict
{
    public static int Worst(IEnumerable<int> exitCodes)
    {
        ArgumentNullException.ThrowIfNull(exitCodes);
        var worst = ExitCodes.Passed;
        foreach (var code in exitCodes)
        {
            if (Severity(code) > Severity(worst))
            {
                worst = code;
            }
        }

        return worst;
    }

    private static int Severity(int exitCode) => exitCode switch
    {
        ExitCodes.Passed => 0,
        ExitCodes.ThresholdUnmet => 1,
        _ => 2,
    };
}
