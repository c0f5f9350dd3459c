using AnalyticsHub.Storage.Tests.Wal;

namespace AnalyticsHub.Storage.Tests;

/// <summary>Entry point used only when the test assembly runs as a child process
/// (<c>dotnet AnalyticsHub.Storage.Tests.dll crash-writer DIR</c>); the test host ignores it.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 2 && args[0] == CrashWriter.Command)
        {
            await CrashWriter.RunAsync(args[1]);
            return 0;
        }
        if (args.Length == 2 && args[0] == WalThroughput.Command)
        {
            await WalThroughput.RunAsync(args[1]);
            return 0;
        }
        if (args.Length >= 1 && args[0] == Stores.Postgres.PostgresThroughput.Command)
        {
            await Stores.Postgres.PostgresThroughput.RunAsync(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
            return 0;
        }
        if (args.Length >= 1 && args[0] == Stores.ClickHouse.ClickHouseThroughput.Command)
        {
            await Stores.ClickHouse.ClickHouseThroughput.RunAsync(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
            return 0;
        }
        await Console.Error.WriteLineAsync("usage: crash-writer DIR | wal-throughput DIR | postgres-throughput [ROWS] [RUNS] | clickhouse-throughput [ROWS] [RUNS]");
        return 2;
    }
}
