using System.Diagnostics;
using System.Text;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

/// <summary>A fact that runs only when <c>HUB_MEASURE=1</c>: measurements take minutes and are not tests.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("HUB_MEASURE") != "1")
        {
            Skip = "measurement, not a test: HUB_MEASURE=1 dotnet test tests/AnalyticsHub.Storage.Tests -c Release --filter Category=Measurement";
        }
    }
}

/// <summary>
/// The figures behind the embedded store's design (README "Stores/Embedded"): 1M sample rows
/// through <see cref="EmbeddedEventStore.WriteAsync"/> per variant, each in a fresh file.
/// <code>
/// HUB_MEASURE=1 dotnet test tests/AnalyticsHub.Storage.Tests -c Release \
///   --filter "Category=Measurement&amp;FullyQualifiedName~Embedded" --logger "console;verbosity=detailed"
/// </code>
/// rows/s counts only the time inside WriteAsync (batch preparation is outside it); bytes/row is
/// the database file after a TRUNCATE checkpoint divided by the rows.
/// </summary>
[Trait("Category", "Measurement")]
public sealed class EmbeddedStoreMeasurements(ITestOutputHelper output)
{
    private const int Rows = 1_000_000;
    private static readonly string[] Tenants = ["default", "acme", "globex", "initech"];

    [MeasurementFact]
    public async Task Measure_WriteThroughput_Variants()
    {
        output.WriteLine($"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {Rows:N0} rows per run; rows/s as median [min..max] of {Rounds} rounds, variants interleaved");
        await RunStore(10_000, null, null, null); // warm-up: JIT tiers, file system caches

        (string Name, Func<Task<Result>> Run)[] variants =
        [
            // The shipped configuration at the drainer's two batch sizes.
            ("final: 2 indexes, 1 row/stmt, FULL, 8 KiB pages, batch 10k", () => RunStore(10_000, null, null, null)),
            ("final, batch 50k", () => RunStore(50_000, null, null, null)),
            // Index variants (batch 10k).
            ("no index", () => RunStore(10_000, null, c => Exec(c, "DROP INDEX ix_events_tenant_time; DROP INDEX ix_events_series"), null)),
            ("only (tenant, time)", () => RunStore(10_000, null, c => Exec(c, "DROP INDEX ix_events_series"), null)),
            ("only (tenant, source, type, name, time)", () => RunStore(10_000, null, c => Exec(c, "DROP INDEX ix_events_tenant_time"), null)),
            ("2 indexes + (time_ns)", () => RunStore(10_000, null, c => Exec(c, "CREATE INDEX ix_time ON events (time_ns)"), null)),
            ("2 indexes + unique (wal_address, wal_index)", () => RunStore(10_000, null, c => Exec(c, "CREATE UNIQUE INDEX ux_wal ON events (wal_address, wal_index)"), null)),
            // Statement shape.
            ("16 rows/stmt", () => RunStore(10_000, o => o with { RowsPerStatement = 16 }, null, null)),
            ("64 rows/stmt", () => RunStore(10_000, o => o with { RowsPerStatement = 64 }, null, null)),
            // Durability and file settings.
            ("synchronous=NORMAL", () => RunStore(10_000, o => o with { Synchronous = "NORMAL" }, null, null)),
            ("wal_autocheckpoint=1000 (SQLite default)", () => RunStore(10_000, null, c => Exec(c, "PRAGMA wal_autocheckpoint=1000"), null)),
            ("page_size=4096 (SQLite default)", () => RunStore(10_000, null, null, 4096)),
            ("page_size=16384", () => RunStore(10_000, null, null, 16384)),
        ];

        var results = variants.Select(_ => new List<Result>()).ToArray();
        for (int round = 0; round < Rounds; round++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                results[v].Add(await variants[v].Run());
            }
        }
        for (int v = 0; v < variants.Length; v++)
        {
            double[] rates = [.. results[v].Select(r => r.RowsPerSecond).Order()];
            double[] cpu = [.. results[v].Select(r => r.WriterCpuMicrosPerRow).Order()];
            Result last = results[v][^1];
            output.WriteLine($"{variants[v].Name,-50} {rates[rates.Length / 2],9:N0} rows/s [{rates[0]:N0}..{rates[^1]:N0}]  writer CPU {cpu[cpu.Length / 2],5:F2} us/row [{cpu[0]:F2}..{cpu[^1]:F2}]  {last.BytesPerRow,6:F1} B/row  {last.AllocatedPerRow,4:F1} B alloc/row");
        }

        // Microsoft.Data.Sqlite commands with strings (interned where low-cardinality), for the binding decision: one round.
        foreach ((string name, int perStatement, bool textId) in new[]
        {
            ("SqliteCommand + strings, 64 rows/stmt, event_id BLOB", 64, false),
            ("SqliteCommand + strings, 64 rows/stmt, event_id TEXT", 64, true),
            ("SqliteCommand + strings, 1 row/stmt, event_id BLOB", 1, false),
        })
        {
            Result r = await RunCommands(perStatement, textId);
            output.WriteLine($"{name,-50} {r.RowsPerSecond,9:N0} rows/s (1 round)  {r.BytesPerRow,6:F1} B/row  {r.AllocatedPerRow,6:F1} B alloc/row");
        }

        await MeasureRetention();
    }

    private const int Rounds = 5;

    /// <param name="WriterCpuMicrosPerRow">CPU time of the store's writer thread (user + system) per row:
    /// steadier than rows/s on a shared machine, blind to time spent waiting for the disk.</param>
    private readonly record struct Result(double RowsPerSecond, double BytesPerRow, double AllocatedPerRow, double WriterCpuMicrosPerRow = double.NaN);

    private static async Task<Result> RunStore(int batchRows, Func<EmbeddedStoreOptions, EmbeddedStoreOptions>? options, Action<SqliteConnection>? setup, int? pageSize)
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions o = Options(dir.Path);
        o = options?.Invoke(o) ?? o;
        if (pageSize is { } size)
        {
            PreCreate(o.DatabasePath, size);
        }

        long allocated;
        TimeSpan inWrite, cpu;
        await using (EmbeddedEventStore store = await OpenAsync(o))
        {
            if (setup is not null)
            {
                await store.RunOnWriterAsync(c =>
                {
                    setup(c);
                    return true;
                });
            }
            TimeSpan cpuBefore = await store.RunOnWriterAsync(_ => ThreadCpuTime());
            (inWrite, allocated) = await WriteRows(batchRows, (batch, at) => store.WriteAsync(batch, 0, batch.Count, at, CancellationToken.None));
            cpu = await store.RunOnWriterAsync(_ => ThreadCpuTime()) - cpuBefore;
        }
        return Measured(o.DatabasePath, inWrite, allocated) with { WriterCpuMicrosPerRow = cpu.TotalMicroseconds / Rows };
    }

    // Same schema and settings, rows bound through SqliteCommand parameters (the house path of the dead-letter store).
    private static async Task<Result> RunCommands(int perStatement, bool textId)
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions o = Options(dir.Path);
        await (await OpenAsync(o)).DisposeAsync(); // schema and file settings

        using SqliteConnection connection = Connect(o.DatabasePath);
        Exec(connection, $"PRAGMA synchronous=FULL; PRAGMA cache_size=-{EmbeddedSchema.CacheSizeKib}; PRAGMA wal_autocheckpoint={EmbeddedSchema.WalAutoCheckpointPages}");
        using SqliteCommand many = connection.CreateCommand();
        many.CommandText = EmbeddedSchema.InsertSql(perStatement);
        var parameters = new SqliteParameter[perStatement * EmbeddedSchema.Columns];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = many.Parameters.Add(new SqliteParameter { ParameterName = "?" + (i + 1) });
        }
        using SqliteCommand one = connection.CreateCommand();
        one.CommandText = EmbeddedSchema.InsertSql(1);
        var oneParameters = new SqliteParameter[EmbeddedSchema.Columns];
        for (int i = 0; i < oneParameters.Length; i++)
        {
            oneParameters[i] = one.Parameters.Add(new SqliteParameter { ParameterName = "?" + (i + 1) });
        }
        var interned = new InternCache();

        (TimeSpan inWrite, long allocated) = await WriteRows(10_000, (batch, at) =>
        {
            using SqliteTransaction tx = connection.BeginTransaction(deferred: false);
            many.Transaction = tx;
            int full = batch.Count - batch.Count % perStatement;
            for (int offset = 0; offset < full; offset += perStatement)
            {
                for (int r = 0; r < perStatement; r++)
                {
                    Bind(parameters, r * EmbeddedSchema.Columns, batch, in batch[offset + r], interned, textId);
                }
                many.ExecuteNonQuery();
            }
            one.Transaction = tx;
            for (int i = full; i < batch.Count; i++)
            {
                Bind(oneParameters, 0, batch, in batch[i], interned, textId);
                one.ExecuteNonQuery();
            }
            using SqliteCommand checkpoint = connection.CreateCommand();
            checkpoint.Transaction = tx;
            checkpoint.CommandText = EmbeddedSchema.UpsertCheckpoint;
            checkpoint.Parameters.AddWithValue("?1", at.Address);
            checkpoint.Parameters.AddWithValue("?2", at.Index);
            checkpoint.Parameters.AddWithValue("?3", 0L);
            checkpoint.ExecuteNonQuery();
            tx.Commit();
            return Task.CompletedTask;
        });
        connection.Close();
        return Measured(o.DatabasePath, inWrite, allocated);
    }

    private static void Bind(SqliteParameter[] p, int b, StoredEventBatch batch, in StoredEvent row, InternCache interned, bool textId)
    {
        p[b + 0].Value = interned.Get(batch.Text(row.TenantId));
        p[b + 1].Value = row.TimeUnixNano;
        p[b + 2].Value = row.ReceivedUnixNano;
        if (textId)
        {
            p[b + 3].Value = Encoding.UTF8.GetString(batch.Text(row.EventId));
        }
        else
        {
            var id = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(id, row.IdHigh);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(8), row.IdLow);
            p[b + 3].Value = id;
        }
        p[b + 4].Value = (int)row.SourceModule;
        p[b + 5].Value = (int)row.EventType;
        p[b + 6].Value = (int)row.Severity;
        p[b + 7].Value = (int)row.PayloadKind;
        p[b + 8].Value = (int)row.ValueDimension;
        p[b + 9].Value = interned.Get(batch.Text(row.Name));
        p[b + 10].Value = row.Value;
        p[b + 11].Value = interned.Get(batch.Text(row.Unit));
        p[b + 12].Value = unchecked((long)row.InputTokens);
        p[b + 13].Value = unchecked((long)row.OutputTokens);
        p[b + 14].Value = interned.Get(batch.Text(row.SchemaVersion));
        p[b + 15].Value = interned.Get(batch.Text(row.Environment));
        p[b + 16].Value = interned.Get(batch.Text(row.AssetId));
        p[b + 17].Value = Encoding.UTF8.GetString(batch.Text(row.CorrelationId));
        p[b + 18].Value = Encoding.UTF8.GetString(batch.Text(row.ParentEventId));
        p[b + 19].Value = row.WalAddress;
        p[b + 20].Value = row.WalIndex;
        p[b + 21].Value = Encoding.UTF8.GetString(batch.Text(row.TagsJson));
        p[b + 22].Value = Encoding.UTF8.GetString(batch.Text(row.PayloadJson));
    }

    // Writes Rows rows in batches of batchRows, timing only the write calls. One batch of sample
    // rows (4 tenants, 10 events per WAL record, event times 1 ms apart and ascending per tenant)
    // is built once and moved forward per write: WAL addresses, ids and times advance by the
    // batch's span, so each tenant's times keep ascending across batches, as they arrive.
    private static async Task<(TimeSpan InWrite, long Allocated)> WriteRows(int batchRows, Func<StoredEventBatch, StorePosition, Task> write)
    {
        using var batch = new StoredEventBatch(batchRows, batchRows * 400);
        const int PerRecord = 10;
        int recordsPerTenant = batchRows / PerRecord / Tenants.Length;
        long address = 64;
        foreach (string tenant in Tenants)
        {
            StoredEventSamples.Fill(batch, recordsPerTenant, PerRecord, address, tenant, StoredEventSamples.BaseTime);
            address = batch.NextAddress;
        }
        long span = batch.NextAddress - batch.FirstAddress;
        long timeSpan = recordsPerTenant * 10 * 1_000_000L; // Fill puts records 10 ms apart

        var inWrite = new Stopwatch();
        long allocated = 0;
        for (int written = 0; written < Rows; written += batchRows)
        {
            if (written > 0)
            {
                foreach (ref StoredEvent row in batch.Rows)
                {
                    row.WalAddress += span;
                    row.IdHigh = ((ulong)row.WalAddress << 16) | (uint)row.WalIndex;
                    row.TimeUnixNano += timeSpan;
                    row.ReceivedUnixNano += timeSpan;
                }
                batch.FirstAddress += span;
                batch.NextAddress += span;
            }

            long before = GC.GetTotalAllocatedBytes(precise: true);
            inWrite.Start();
            await write(batch, new StorePosition(batch.NextAddress, 0));
            inWrite.Stop();
            allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        return (inWrite.Elapsed, allocated);
    }

    private async Task MeasureRetention()
    {
        using var dir = new TempDirectory();
        await using EmbeddedEventStore store = await OpenAsync(Options(dir.Path));
        await WriteRows(50_000, (batch, at) => store.WriteAsync(batch, 0, batch.Count, at, CancellationToken.None));
        // 20 batches of 50k rows, each 12.5 s of event time per tenant: the first 125 s are the older half.
        var clock = Stopwatch.StartNew();
        long deleted = await store.DeleteOlderThanAsync(StoredEventSamples.BaseTime.AddSeconds(125), CancellationToken.None);
        clock.Stop();
        output.WriteLine($"retention: deleted {deleted:N0} of {Rows:N0} rows in {clock.Elapsed.TotalSeconds:F2} s = {deleted / clock.Elapsed.TotalSeconds:N0} rows/s, ~{clock.Elapsed.TotalMilliseconds / Math.Max(1, deleted / 50_000.0):F0} ms per 50k-row chunk");
    }

    private static Result Measured(string path, TimeSpan inWrite, long allocated)
    {
        using (SqliteConnection connection = Connect(path))
        {
            Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        long bytes = new FileInfo(path).Length;
        return new Result(Rows / inWrite.TotalSeconds, (double)bytes / Rows, (double)allocated / Rows);
    }

    // user + system time of the calling thread (Linux /proc, clock ticks of 10 ms: over a
    // multi-second run the error is well under 1%).
    private static TimeSpan ThreadCpuTime()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    // A file created beforehand with another page size (the store sets 4096 only on an empty file).
    private static void PreCreate(string path, int pageSize)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using SqliteConnection connection = Connect(path, SqliteOpenMode.ReadWriteCreate);
        Exec(connection, $"PRAGMA page_size={pageSize}; CREATE TABLE placeholder (x); DROP TABLE placeholder;");
    }

    private static void Exec(SqliteConnection connection, string sql) => Execute(connection, sql);

    /// <summary>Strings for low-cardinality text, looked up by their UTF-8 bytes.</summary>
    private sealed class InternCache
    {
        private readonly List<(byte[] Utf8, string Value)> _entries = [];

        public string Get(ReadOnlySpan<byte> utf8)
        {
            foreach ((byte[] key, string value) in _entries)
            {
                if (utf8.SequenceEqual(key))
                {
                    return value;
                }
            }
            string created = Encoding.UTF8.GetString(utf8);
            _entries.Add((utf8.ToArray(), created));
            return created;
        }
    }
}
