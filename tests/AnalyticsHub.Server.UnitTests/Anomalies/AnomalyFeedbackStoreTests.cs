using AnalyticsHub.Analytics.Anomalies.Feedback;
using AnalyticsHub.Server.Anomalies;

namespace AnalyticsHub.Server.UnitTests.Anomalies;

/// <summary>The feedback file: labels survive a reopen in order, a torn last line is skipped, the series cap holds.</summary>
public sealed class AnomalyFeedbackStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("feedback-");

    public void Dispose() => _dataDir.Delete(recursive: true);

    [Fact]
    public void Labels_MoveTheThreshold_AndSurviveAReopen()
    {
        using (var store = new AnomalyFeedbackStore(_dataDir.FullName))
        {
            Assert.True(store.TryRecord("latency/gpt-4o", new FeedbackLabel(1000, FeedbackKind.FalsePositive, 0.62), At, out var before, out var after));
            Assert.Equal(0.5, before);
            Assert.Equal(0.63, after, 6);
            Assert.True(store.TryRecord("latency/gpt-4o", new FeedbackLabel(2000, FeedbackKind.MissedAnomaly, 0.58), At, out _, out after));
            Assert.Equal(0.57, after, 6);
            Assert.True(store.TryRecord("cost/claude", new FeedbackLabel(3000, FeedbackKind.FalsePositive, 0.9), At, out _, out _));
        }

        using var reopened = new AnomalyFeedbackStore(_dataDir.FullName);
        var (threshold, labels) = reopened.Get("latency/gpt-4o");
        Assert.Equal(0.57, threshold, 6);
        Assert.Equal([1000L, 2000L], labels.Select(l => l.Label.TimestampUnixSeconds));
        Assert.Equal([FeedbackKind.FalsePositive, FeedbackKind.MissedAnomaly], labels.Select(l => l.Label.Kind));
        Assert.Equal(At, labels[0].RecordedAt);
        Assert.Equal(0.91, reopened.Get("cost/claude").Threshold, 6);
        Assert.Equal(SeriesAlertThreshold.Default, reopened.Get("never-labelled").Threshold);
        Assert.Equal(0, reopened.SkippedLines);
    }

    [Fact]
    public void ATornLastLine_IsSkipped_AndAppendsGoOnAfterIt()
    {
        using (var store = new AnomalyFeedbackStore(_dataDir.FullName))
        {
            store.TryRecord("s", new FeedbackLabel(1, FeedbackKind.FalsePositive, 0.7), At, out _, out _);
            File.AppendAllText(store.FilePath, "{\"series\":\"s\",\"timest"); // a crash mid-append
        }

        using (var store = new AnomalyFeedbackStore(_dataDir.FullName))
        {
            Assert.Equal(1, store.SkippedLines);
            Assert.Equal(0.71, store.Get("s").Threshold, 6);
            store.TryRecord("s", new FeedbackLabel(2, FeedbackKind.FalsePositive, 0.8), At, out _, out _);
        }

        using var reopened = new AnomalyFeedbackStore(_dataDir.FullName);
        Assert.Equal(0.81, reopened.Get("s").Threshold, 6);
        Assert.Equal(2, reopened.Get("s").Labels.Count);
    }

    [Fact]
    public void SeriesNames_AreStoredExactly_EvenWithQuotesAndUnicode()
    {
        const string name = "llm-observatory/latency \"p99\"/modèle-ü";
        using (var store = new AnomalyFeedbackStore(_dataDir.FullName))
        {
            store.TryRecord(name, new FeedbackLabel(1, FeedbackKind.MissedAnomaly, 0.3), At, out _, out _);
        }

        using var reopened = new AnomalyFeedbackStore(_dataDir.FullName);
        Assert.Equal(0.29, reopened.Get(name).Threshold, 6);
    }

    [Fact]
    public void OnlyTheLatestLabelsAreKeptInMemory_TheThresholdCountsThemAll()
    {
        using var store = new AnomalyFeedbackStore(_dataDir.FullName);
        for (var i = 0; i < AnomalyFeedbackStore.LabelsKept + 20; i++)
        {
            store.TryRecord("s", new FeedbackLabel(i, FeedbackKind.FalsePositive, 0.5 + (i * 0.003)), At, out _, out _);
        }

        var (threshold, labels) = store.Get("s");
        Assert.Equal(AnomalyFeedbackStore.LabelsKept, labels.Count);
        Assert.Equal(20, labels[0].Label.TimestampUnixSeconds);
        Assert.Equal(Math.Min(SeriesAlertThreshold.Max, 0.5 + (119 * 0.003) + SeriesAlertThreshold.Margin), threshold, 6);
    }
}
