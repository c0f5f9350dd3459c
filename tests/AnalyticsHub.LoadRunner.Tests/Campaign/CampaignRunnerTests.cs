using AnalyticsHub.LoadRunner.Campaign;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

/// <summary><see cref="CampaignRunner.StageDirectory"/>: sortable and safe whatever the stage is called.</summary>
public class CampaignRunnerTests
{
    [Theory]
    [InlineData(0, "ramp", "01-ramp")]
    [InlineData(5, "constant-500k", "06-constant-500k")]
    [InlineData(9, "v1.2_final", "10-v1.2_final")]
    [InlineData(99, "x", "100-x")]
    [InlineData(0, "a b/c\\d", "01-a-b-c-d")]
    [InlineData(0, "ramp <&>", "01-ramp----")]
    [InlineData(0, "../etc", "01--etc")]
    [InlineData(0, "..", "01-stage")]
    [InlineData(0, "", "01-stage")]
    [InlineData(0, "débit", "01-d-bit")]
    public void StageDirectory(int index, string name, string expected)
    {
        var directory = CampaignRunner.StageDirectory(index, name);
        Assert.Equal(expected, directory);
        Assert.Equal(directory, Path.GetFileName(directory)); // one path segment
        Assert.DoesNotContain("..", directory, StringComparison.Ordinal);
    }
}
