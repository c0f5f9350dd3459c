using AnalyticsHub.Analytics.Anomalies.Feedback;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Feedback;

public class SeriesAlertThresholdTests
{
    [Fact]
    public void FalsePositive_RaisesTheThresholdJustAboveItsScore_SoThatPointNoLongerAlerts()
    {
        var after = SeriesAlertThreshold.Apply(SeriesAlertThreshold.Default, new FeedbackLabel(100, FeedbackKind.FalsePositive, 0.62));
        Assert.Equal(0.63, after, 6);
        Assert.False(SeriesAlertThreshold.Alerts(0.62, after));
        Assert.True(SeriesAlertThreshold.Alerts(0.7, after)); // a stronger incident still alerts
    }

    [Fact]
    public void MissedAnomaly_LowersTheThresholdJustBelowItsScore_SoThatPointWouldAlert()
    {
        var after = SeriesAlertThreshold.Apply(SeriesAlertThreshold.Default, new FeedbackLabel(100, FeedbackKind.MissedAnomaly, 0.41));
        Assert.Equal(0.40, after, 6);
        Assert.True(SeriesAlertThreshold.Alerts(0.41, after));
    }

    [Fact]
    public void Labels_NeverMoveTheThresholdTheWrongWay()
    {
        // A false positive below the threshold (it did not alert) and a missed anomaly above it (it did) change nothing.
        Assert.Equal(0.7, SeriesAlertThreshold.Apply(0.7, new FeedbackLabel(1, FeedbackKind.FalsePositive, 0.3)), 6);
        Assert.Equal(0.4, SeriesAlertThreshold.Apply(0.4, new FeedbackLabel(1, FeedbackKind.MissedAnomaly, 0.9)), 6);
    }

    [Theory]
    [InlineData(FeedbackKind.FalsePositive, 1.0, SeriesAlertThreshold.Max)]
    [InlineData(FeedbackKind.MissedAnomaly, 0.05, SeriesAlertThreshold.Min)]
    [InlineData(FeedbackKind.MissedAnomaly, 0.0, SeriesAlertThreshold.Min)]
    public void TheThreshold_StaysInsideItsBounds(FeedbackKind kind, double score, double expected)
    {
        Assert.Equal(expected, SeriesAlertThreshold.Apply(SeriesAlertThreshold.Default, new FeedbackLabel(1, kind, score)), 6);
    }

    [Fact]
    public void Replay_AppliesLabelsInOrder_TheLatestWordWins()
    {
        FeedbackLabel[] labels =
        [
            new(1, FeedbackKind.FalsePositive, 0.62),  // 0.5 → 0.63
            new(2, FeedbackKind.FalsePositive, 0.80),  // → 0.81
            new(3, FeedbackKind.MissedAnomaly, 0.55),  // → 0.54
        ];
        Assert.Equal(0.54, SeriesAlertThreshold.Replay(labels), 6);
        Assert.Equal(0.81, SeriesAlertThreshold.Replay(labels[..2]), 6);
        Assert.Equal(SeriesAlertThreshold.Default, SeriesAlertThreshold.Replay([]));
    }

    [Fact]
    public void NaNScores_NeitherMoveTheThresholdNorAlert()
    {
        Assert.Equal(0.5, SeriesAlertThreshold.Apply(0.5, new FeedbackLabel(1, FeedbackKind.FalsePositive, double.NaN)));
        Assert.False(SeriesAlertThreshold.Alerts(double.NaN, 0.5));
    }
}
