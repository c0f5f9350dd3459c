using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;
using AnalyticsHub.Testing.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

/// <summary>
/// A measurement, not a test (<c>dotnet AnalyticsHub.Storage.Tests.dll clickhouse-throughput [ROWS] [RUNS]</c>):
/// writes ROWS sample rows in inserts of 50k through <see cref="ClickHouseEventStore.WriteAsync"/>, raw
/// and gzip, and posts the same RowBinary bytes with curl (one process per insert), each RUNS times into a
/// fresh table of a fresh server, interleaved. Prints wall time, rows/s, CPU seconds of the server and of
/// this process (from /proc, steadier than wall time on a shared machine) and bytes/row on disk.
/// </summary>
internal static class ClickHouseThroughput
{
    public const string Command = "clickhouse-throughput";

    private const int RowsPerInsert = 50_000;
    private const int EventsPerRecord = 4;

    public static async Task RunAsync(int rows, int runs)
    {
        var batches = new List<StoredEventBatch>();
        long address = 64;
        for (int left = rows; left > 0; left -= RowsPerInsert)
        {
            var batch = StoredEventSamples.Batch(Math.Min(left, RowsPerInsert) / EventsPerRecord, EventsPerRecord, firstAddress: address);
            address = batch.NextAddress;
            batches.Add(batch);
        }

        rows = batches.Sum(b => b.Count);
        using var server = ClickHouseServer.Start();
        var layout = ClickHouseServerVersion.TryParse(server.Version, out var version) ? version.LayoutForNewTables : ClickHouseTableLayout.Legacy;
        // The bytes WriteAsync sends, one file per insert, for curl.
        string directory = Path.Combine(server.RootDirectory, "rowbinary");
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var batch in batches)
        {
            files.Add(Path.Combine(directory, $"insert{files.Count:D3}.bin"));
            File.WriteAllBytes(files[^1], Encode(batch, "bench"u8, layout));
        }

        Console.WriteLine($"ClickHouse {server.Version}; {rows} rows in {batches.Count} inserts; {Environment.ProcessorCount} cores");
        Console.WriteLine("variant        run  seconds   rows/s  server CPU s  hub CPU s  disk B/row");
        try
        {
            for (int run = 1; run <= runs; run++)
            {
                await MeasureAsync(server, "WriteAsync raw", run, rows, db => StoreWriteAsync(server, db, batches, gzip: false));
                await MeasureAsync(server, "WriteAsync gzip", run, rows, db => StoreWriteAsync(server, db, batches, gzip: true));
                await MeasureAsync(server, "curl raw", run, rows, db => CurlAsync(server, db, files, layout));
            }
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    private static async Task MeasureAsync(ClickHouseServer server, string variant, int run, int rows, Func<string, Task> write)
    {
        string database = $"bench_{Guid.NewGuid():N}"[..18];
        await using (var store = new ClickHouseEventStore(new ClickHouseStoreOptions { Url = server.HttpUrl, Database = database, NodeId = "bench" }))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        // Merges of the previous variant would compete for the cores.
        while (server.Query("SELECT count() FROM system.merges").Trim() != "0")
        {
            await Task.Delay(100);
        }

        double serverCpu = ServerCpuSeconds(server), hubCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        await write(database);
        double seconds = clock.Elapsed.TotalSeconds;
        serverCpu = ServerCpuSeconds(server) - serverCpu;
        hubCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - hubCpu;
        var parts = server.Query($"SELECT sum(rows), sum(bytes) FROM system.parts WHERE database = '{database}' AND table = 'events' AND active")
            .Trim().Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        if (parts[0] != rows)
        {
            throw new InvalidOperationException($"{variant}: {parts[0]} rows stored, expected {rows}");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{variant,-15}{run,3}{seconds,9:F2}{rows / seconds,9:F0}{serverCpu,14:F2}{hubCpu,11:F2}{parts[1] / rows,12:F1}"));
        server.Query($"DROP DATABASE {database}");
    }

    private static async Task StoreWriteAsync(ClickHouseServer server, string database, List<StoredEventBatch> batches, bool gzip)
    {
        await using var store = new ClickHouseEventStore(new ClickHouseStoreOptions { Url = server.HttpUrl, Database = database, NodeId = "bench", CompressRequests = gzip });
        await store.InitializeAsync(CancellationToken.None);
        foreach (var batch in batches)
        {
            await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
        }
    }

    private static async Task CurlAsync(ClickHouseServer server, string database, List<string> files, ClickHouseTableLayout layout)
    {
        string query = $"INSERT INTO {database}.events {ClickHouseSchema.InsertColumnList(layout, ClickHouseSchema.EventColumns)} FORMAT RowBinary";
        foreach (var file in files)
        {
            var curl = new ProcessStartInfo("curl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])["-sS", "--fail-with-body", "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file,
                $"{server.HttpUrl}/?query={Uri.EscapeDataString(query)}"])
            {
                curl.ArgumentList.Add(a);
            }

            using var process = Process.Start(curl)!;
            string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"curl exited with {process.ExitCode}: {output}");
            }
        }
    }

    private static byte[] Encode(StoredEventBatch batch, ReadOnlySpan<byte> node, ClickHouseTableLayout layout)
    {
        long size = 0;
        foreach (ref readonly var row in batch.Rows)
        {
            size += EventRowEncoder.RowSize(row, node.Length);
        }

        byte[] body = new byte[size];
        int at = 0;
        foreach (ref readonly var row in batch.Rows)
        {
            at += EventRowEncoder.Write(body.AsSpan(at), batch, row, node, layout);
        }

        return body;
    }

    // utime + stime of the server (all threads), /proc/PID/stat fields 14 and 15, in USER_HZ (100/s).
    private static double ServerCpuSeconds(ClickHouseServer server)
    {
        var fields = File.ReadAllText($"/proc/{server.ProcessId}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
