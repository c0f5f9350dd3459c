using System.Diagnostics;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Storage.Tests.Wal;

/// <summary>
/// A rough throughput check, run by hand (<c>dotnet AnalyticsHub.Storage.Tests.dll wal-throughput DIR</c>);
/// figures for reports, not for docs (no BenchmarkDotNet rigour).
/// </summary>
internal static class WalThroughput
{
    public const string Command = "wal-throughput";

    public static async Task RunAsync(string directory)
    {
        var record = new byte[200];
        const int Count = 2_000_000;
        await using (WriteAheadLog wal = WriteAheadLog.Open(new WalOptions { Directory = Path.Combine(directory, "a") }))
        {
            for (int i = 0; i < 10_000; i++)
            {
                wal.Append(record); // warm-up
            }
            long inPage = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1_000; i++)
            {
                wal.Append(record); // 200 KB: no page flush crossed
            }
            Console.WriteLine($"append without page flush: {(GC.GetAllocatedBytesForCurrentThread() - inPage) / 1_000.0:F1} B/record");
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            long last = 0;
            for (int i = 0; i < Count; i++)
            {
                last = wal.Append(record);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            await wal.WaitForDurableAsync(last);
            clock.Stop();
            Console.WriteLine($"1 thread: {Count:N0} x 200 B appended+committed in {clock.Elapsed.TotalMilliseconds:F0} ms = {Count / clock.Elapsed.TotalSeconds:N0}/s, {wal.CommitCount} commits, {allocated} B allocated on the append path");
        }

        await using (WriteAheadLog wal = WriteAheadLog.Open(new WalOptions { Directory = Path.Combine(directory, "b") }))
        {
            const int Producers = 256, PerProducer = 1_000;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Run(async () =>
            {
                var batch = new byte[200];
                for (int i = 0; i < PerProducer; i++)
                {
                    // a "batch" of 10 records, acknowledged together like a client batch
                    long last = 0;
                    for (int j = 0; j < 10; j++)
                    {
                        last = wal.Append(batch);
                    }
                    await wal.WaitForDurableAsync(last);
                }
            })));
            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            long records = Producers * PerProducer * 10L;
            Console.WriteLine($"{Producers} producers, 10-record batches acked on durability: {records:N0} records in {clock.Elapsed.TotalMilliseconds:F0} ms = {records / clock.Elapsed.TotalSeconds:N0}/s, {Producers * PerProducer / clock.Elapsed.TotalSeconds:N0} acks/s, {wal.CommitCount} commits, {(double)allocated / (Producers * PerProducer):F1} B allocated per ack (whole process)");
        }
    }
}
