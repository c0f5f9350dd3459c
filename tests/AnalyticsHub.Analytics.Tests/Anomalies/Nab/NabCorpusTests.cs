using AnalyticsHub.Analytics.Anomalies.Nab;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Nab;

/// <summary>The corpus loader on a tiny NAB-shaped folder.</summary>
public sealed class NabCorpusTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nab-corpus-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Load_ReadsSeriesWindowsAndProfiles()
    {
        TinyNabCorpus.Write(_root);

        var corpus = NabCorpus.Load(_root);

        Assert.Equal(["cat/a.csv", "cat/b.csv"], corpus.Series.Select(s => s.RelativePath));
        var a = corpus.Series[0];
        Assert.Equal(TinyNabCorpus.Rows, a.Values.Length);
        Assert.Equal(new DateTimeOffset(2014, 4, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), a.TimestampsUnixSeconds[0]);
        Assert.Equal(300, a.TimestampsUnixSeconds[1] - a.TimestampsUnixSeconds[0]);
        // The window [row 120's time, row 130's time] covers rows 120..130, ends included.
        Assert.Equal([new NabWindow(120, 130)], a.Windows);
        Assert.Empty(corpus.Series[1].Windows);
        Assert.Equal(["standard", "reward_low_FP_rate"], corpus.Profiles.Select(p => p.Name));
        Assert.Equal(0.22, corpus.Profiles[1].FpWeight);
    }

    [Fact]
    public void Load_MissingSeriesFile_NamesIt()
    {
        TinyNabCorpus.Write(_root);
        File.Delete(Path.Combine(_root, "data", "cat", "b.csv"));
        var error = Assert.Throws<FileNotFoundException>(() => NabCorpus.Load(_root));
        Assert.Contains("b.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadRow_NamesFileAndLine()
    {
        TinyNabCorpus.Write(_root);
        File.AppendAllText(Path.Combine(_root, "data", "cat", "a.csv"), "2014-05-01 00:00:00,abc\n");
        var error = Assert.Throws<InvalidDataException>(() => NabCorpus.Load(_root));
        Assert.Contains($"a.csv:{TinyNabCorpus.Rows + 2}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_Throws() =>
        Assert.Throws<DirectoryNotFoundException>(() => NabCorpus.Load(Path.Combine(_root, "nope")));

    [Theory]
    [InlineData("2014-04-01 00:00:00", 1396310400)]
    [InlineData("2014-04-01 00:00:00.000000", 1396310400)]
    [InlineData("2014-04-01T00:00:00Z", 1396310400)]
    [InlineData("2014-04-01T02:00:00+02:00", 1396310400)]
    [InlineData("2014-04-01T00:00:00.5Z", 1396310400)]
    public void Timestamp_AcceptsNabAndRfc3339(string text, long unixSeconds)
    {
        Assert.True(NabTimestamp.TryParse(text, out var time));
        Assert.Equal(unixSeconds, time.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("2014/04/01 00:00")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Timestamp_RejectsOtherForms(string text) => Assert.False(NabTimestamp.TryParse(text, out _));
}
