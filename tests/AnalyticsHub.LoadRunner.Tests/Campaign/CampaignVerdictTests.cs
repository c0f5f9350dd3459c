using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

public class CampaignVerdictTests
{
    [Theory]
    [InlineData(new int[0], ExitCodes.Passed)]
    [InlineData(new[] { ExitCodes.Passed, ExitCodes.Passed }, ExitCodes.Passed)]
    [InlineData(new[] { ExitCodes.Passed, ExitCodes.ThresholdUnmet, ExitCodes.Passed }, ExitCodes.ThresholdUnmet)]
    [InlineData(new[] { ExitCodes.ThresholdUnmet, ExitCodes.NoAcks, ExitCodes.ThresholdUnmet }, ExitCodes.NoAcks)] // nothing acknowledged beats a threshold
    [InlineData(new[] { ExitCodes.NoAcks, ExitCodes.Passed }, ExitCodes.NoAcks)]
    [InlineData(new[] { ExitCodes.Passed, ExitCodes.InvalidOptions }, ExitCodes.InvalidOptions)] // any other code is as bad as no acks
    public void Worst_NothingAcknowledged_BeatsThresholdUnmet_BeatsPassed(int[] codes, int expected) =>
        Assert.Equal(expected, CampaignVerdict.Worst(codes));
}
