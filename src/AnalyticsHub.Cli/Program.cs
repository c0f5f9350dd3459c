using System.CommandLine;
using AnalyticsHub.Cli.Anomalies;
using AnalyticsHub.Cli.Forecasting;

namespace AnalyticsHub.Cli;

/// <summary>hubctl: commands are added by their own files (forecast, detect, evaluations).</summary>
public static class Program
{
    public static int Main(string[] args) => CreateRootCommand().Parse(args).Invoke();

    internal static RootCommand CreateRootCommand() => new("hubctl: AnalyticsHub's command-line tool")
    {
        ForecastCommand.Create(),
        EvaluateM4Command.Create(),
        DetectCommand.Create(),
        EvaluateNabCommand.Create(),
    };
}
