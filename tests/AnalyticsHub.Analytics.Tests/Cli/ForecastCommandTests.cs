using System.CommandLine;
using System.Globalization;
using AnalyticsHub.Cli;

namespace AnalyticsHub.Analytics.Tests.Cli;

/// <summary>hubctl forecast run in-process through its parser, on temporary files.</summary>
public sealed class ForecastCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hubctl-forecast-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Forecast_WritesOneRowPerSeriesInInputOrder_WithBounds()
    {
        var input = Write("in.csv",
            "\"V1\",\"V2\",\"V3\"\n"
            + "\"B\"," + Cells(Enumerable.Range(0, 60).Select(t => 10.0 + t % 4)) + ",,\n"
            + "\"A\"," + Cells(Enumerable.Range(0, 50).Select(t => 100.0 + 2 * (t % 4))) + "\n");
        var (code, _, error) = Invoke("forecast", "--input", input, "--horizon", "4", "--frequency", "4",
            "--output", Path("out.csv"), "--lower", Path("lo.csv"), "--upper", Path("hi.csv"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var point = File.ReadAllLines(Path("out.csv"));
        Assert.Equal("id,F1,F2,F3,F4", point[0]);
        Assert.Equal(["B", "A"], point.Skip(1).Select(l => l.Split(',')[0]));
        var first = point[1].Split(',').Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([10, 11, 12, 13], first.Select(v => Math.Round(v, 3)));
        var lower = File.ReadAllLines(Path("lo.csv"));
        var upper = File.ReadAllLines(Path("hi.csv"));
        Assert.Equal(3, lower.Length);
        Assert.True(double.Parse(lower[2].Split(',')[1], CultureInfo.InvariantCulture)
            <= double.Parse(upper[2].Split(',')[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Forecast_MissingFile_ExitsTwoWithOneLine()
    {
        var (code, _, error) = Invoke("forecast", "--input", Path("nope.csv"), "--horizon", "4", "--frequency", "hourly", "--output", Path("o.csv"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: input file not found", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("1,2,abc,4,5,6,7,8", "not a finite number")]
    [InlineData("1,2,NaN,4,5,6,7,8", "not a finite number")]
    [InlineData("1,2,3", "at least")]
    public void Forecast_BadSeries_ExitsTwo(string values, string message)
    {
        var input = Write("bad.csv", "S1," + values + "\n");
        var (code, _, error) = Invoke("forecast", "--input", input, "--horizon", "2", "--frequency", "yearly", "--output", Path("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Forecast_HorizonZero_ExitsTwo()
    {
        var input = Write("ok.csv", "S1," + Cells(Enumerable.Range(0, 30).Select(t => (double)t)) + "\n");
        var (code, _, error) = Invoke("forecast", "--input", input, "--horizon", "0", "--frequency", "daily", "--output", Path("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains("--horizon", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Forecast_UnknownFrequency_ExitsTwo()
    {
        var input = Write("ok.csv", "S1," + Cells(Enumerable.Range(0, 30).Select(t => (double)t)) + "\n");
        var (code, _, error) = Invoke("forecast", "--input", input, "--horizon", "2", "--frequency", "fortnightly", "--output", Path("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains("unknown frequency", error, StringComparison.Ordinal);
    }

    private static string Cells(IEnumerable<double> values) =>
        string.Join(',', values.Select(v => "\"" + v.ToString(CultureInfo.InvariantCulture) + "\""));

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
