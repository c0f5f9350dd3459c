using System.CommandLine;
using System.Globalization;
using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Analytics.Tests.Anomalies.Nab;
using AnalyticsHub.Cli;

namespace AnalyticsHub.Analytics.Tests.Cli;

/// <summary>hubctl detect and evaluate-nab run in-process through their parser, on temporary files.</summary>
public sealed class DetectCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hubctl-detect-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Detect_WritesOneScoredRowPerInputRow_InOrder()
    {
        var rows = Enumerable.Range(0, 300).Select(i => (Time: TinyNabCorpus.Time(i), Value: i == 250 ? 500.0 : 10 + (i % 3))).ToArray();
        var input = Write("in.csv", "timestamp,value\n" + string.Concat(rows.Select(r => $"{r.Time},{r.Value.ToString(CultureInfo.InvariantCulture)}\n")));

        var (code, _, error) = Invoke("detect", "--input", input, "--output", Path("out.csv"), "--detector", "windowed-gaussian");

        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = File.ReadAllLines(Path("out.csv"));
        Assert.StartsWith("timestamp,value,anomaly_score", lines[0], StringComparison.Ordinal);
        Assert.Equal(rows.Length + 1, lines.Length);
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(rows.Select(r => r.Time), cells.Select(c => c[0]));
        Assert.Equal(rows.Select(r => r.Value.ToString(CultureInfo.InvariantCulture)), cells.Select(c => c[1]));
        var scores = cells.Select(c => double.Parse(c[2], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        // After the warm-up (the baseline's deviation is ~0 for the first points), the spike scores highest.
        Assert.Equal(250 - 50, Array.IndexOf(scores[50..], scores[50..].Max()));
    }

    [Fact]
    public void Detect_AcceptsRfc3339Timestamps_AndTheDefaultDetector()
    {
        var input = Write("in.csv", "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00+00:00,2\n2024-01-01T02:00:00.5Z,3\n");
        var (code, _, error) = Invoke("detect", "--input", input, "--output", Path("out.csv"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(4, File.ReadAllLines(Path("out.csv")).Length);
    }

    [Fact]
    public void Detect_EveryCatalogDetector_ScoresWithinZeroToOne()
    {
        var input = Write("in.csv", "timestamp,value\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{TinyNabCorpus.Time(i)},{i % 4}\n")));
        foreach (var name in AnomalyDetectorCatalog.Factories.Keys)
        {
            var (code, _, error) = Invoke("detect", "--input", input, "--output", Path("out.csv"), "--detector", name);
            Assert.True(code == 0, $"{name}: {error}");
            Assert.All(File.ReadAllLines(Path("out.csv")).Skip(1),
                l => Assert.InRange(double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture), 0, 1));
        }
    }

    [Theory]
    [InlineData("time,value\n2014-04-01 00:00:00,1\n", "expected the header")]
    [InlineData("", "empty file")]
    [InlineData("timestamp,value\n", "no rows")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n01/04/2014,2\n", ":3: '01/04/2014' is not a timestamp")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,abc\n", "'abc' is not a finite number")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,NaN\n", "not a finite number")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1,2\n", "expected 2 cells")]
    [InlineData("timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01 00:05:00,2\n", "does not increase")]
    [InlineData("timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01 00:00:00,2\n", "does not increase")]
    public void Detect_BadInput_ExitsTwoWithOneErrorLine(string text, string message)
    {
        var input = Write("bad.csv", text);
        var (code, _, error) = Invoke("detect", "--input", input, "--output", Path("out.csv"), "--detector", "random");
        AssertOneLineError(code, error, message);
        Assert.False(File.Exists(Path("out.csv")));
    }

    [Fact]
    public void Detect_MissingFile_ExitsTwo()
    {
        var (code, _, error) = Invoke("detect", "--input", Path("nope.csv"), "--output", Path("out.csv"));
        AssertOneLineError(code, error, "input file not found");
    }

    [Fact]
    public void Detect_UnknownDetector_ExitsTwoListingTheNames()
    {
        var input = Write("in.csv", "timestamp,value\n2014-04-01 00:00:00,1\n");
        var (code, _, error) = Invoke("detect", "--input", input, "--output", Path("out.csv"), "--detector", "oracle");
        AssertOneLineError(code, error, "unknown detector 'oracle'");
        Assert.Contains("windowed-gaussian", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateNab_PrintsEachProfilePerDetector()
    {
        TinyNabCorpus.Write(_directory);
        var (code, output, error) = Invoke("evaluate-nab", "--data", _directory, "--detector", "windowed-gaussian,random", "--threads", "1");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("2 files, 400 points, 1 windows", output, StringComparison.Ordinal);
        Assert.Contains("reward_low_FP_rate", output, StringComparison.Ordinal);
        // The spike at the window's sixth row is found by the Gaussian baseline with no false positive.
        var gaussian = output.Split('\n').First(l => l.StartsWith("windowed-gaussian   standard", StringComparison.Ordinal));
        Assert.EndsWith("1     0      0", gaussian.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateNab_MissingFolder_ExitsTwo()
    {
        var (code, _, error) = Invoke("evaluate-nab", "--data", Path("nope"));
        AssertOneLineError(code, error, "NAB folder not found");
    }

    private static void AssertOneLineError(int code, string error, string message)
    {
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private string Path(string name) => System.IO.Path.Combine(_directory, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(Path(name), text);
        return Path(name);
    }

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
