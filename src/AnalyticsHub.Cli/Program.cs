using System.CommandLine;

namespace AnalyticsHub.Cli;

/// <summary>hubctl: commands are added by their own files (forecast, detect, evaluations).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("hubctl: AnalyticsHub's command-line tool");
        return root.Parse(args).Invoke();
    }
}
