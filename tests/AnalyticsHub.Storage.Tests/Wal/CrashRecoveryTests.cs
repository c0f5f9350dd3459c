using System.Diagnostics;
using AnalyticsHub.Storage.Wal;
using static AnalyticsHub.Storage.Tests.Wal.WalTestKit;

namespace AnalyticsHub.Storage.Tests.Wal;

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task KilledWriter_EveryAcknowledgedRecordIsPresentExactlyOnceAfterReopen()
    {
        using var dir = new TempDirectory();
        var acknowledged = new Dictionary<long, long>(); // sequence -> address

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        start.ArgumentList.Add(CrashWriter.Command);
        start.ArgumentList.Add(dir.Path);
        using (Process child = Process.Start(start)!)
        {
            Task<string> errors = child.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                while (acknowledged.Count < 5_000)
                {
                    string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                    if (line is null)
                    {
                        await child.WaitForExitAsync(timeout.Token);
                        Assert.Fail($"writer exited early after {acknowledged.Count} acks: {await errors}");
                    }
                    AddAck(acknowledged, line);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no flush, no dispose
            }
            // Acks already written to the pipe before the kill count too.
            string rest = await child.StandardOutput.ReadToEndAsync();
            foreach (string line in rest.Split('\n'))
            {
                AddAck(acknowledged, line);
            }
            await child.WaitForExitAsync();
            Assert.NotEqual(0, child.ExitCode);
        }

        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        var records = await ReadAllAsync(wal);
        var found = new Dictionary<long, long>();
        foreach ((long address, byte[] data) in records)
        {
            long sequence = CheckRecord(data);
            Assert.True(found.TryAdd(sequence, address), $"record {sequence} appears twice");
        }
        foreach ((long sequence, long address) in acknowledged)
        {
            Assert.True(found.TryGetValue(sequence, out long at), $"acknowledged record {sequence} is lost");
            Assert.Equal(address, at);
        }
        Assert.True(found.Count >= acknowledged.Count);
    }

    private static void AddAck(Dictionary<long, long> acknowledged, string line)
    {
        // "ack ADDRESS SEQUENCE ." — a line cut by the kill lacks the final '.' and is ignored.
        string[] parts = line.Split(' ');
        if (parts.Length == 4 && parts[0] == "ack" && parts[3] == ".")
        {
            acknowledged.Add(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
