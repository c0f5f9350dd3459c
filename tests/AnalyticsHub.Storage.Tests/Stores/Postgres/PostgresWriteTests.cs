using System.Text;
using System.Text.Json.Nodes;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Postgres;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresWriteTests(PostgresFixture fixture)
{
    private const string SelectAll = """
        SELECT time, time_ns, received_at, received_ns, event_id::text, wal_address, wal_index, value,
               input_tokens, output_tokens, source_module, event_type, severity, payload_kind, value_dimension,
               tenant_id, node, schema_version, correlation_id, parent_event_id, environment, asset_id, name, unit,
               tags::text, payload::text
        FROM events ORDER BY wal_address, wal_index
        """;

    [Theory]
    [InlineData(PostgresJsonType.Jsonb)]
    [InlineData(PostgresJsonType.Json)]
    public async Task Write_SampleBatch_ReadsBackEveryColumnOfEveryRow(PostgresJsonType jsonType)
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db, o => o with { JsonType = jsonType });
        await store.InitializeAsync(CancellationToken.None);
        using var batch = StoredEventSamples.Batch(records: 600, eventsPerRecord: 5, tenant: "acme");
        for (int i = 0; i < batch.Count; i++)
        {
            // nanoseconds below the microsecond, and below the millisecond, on every row
            batch[i].TimeUnixNano += i * 7919L % 1_000_000;
            batch[i].ReceivedUnixNano += 999 - (i % 1000);
        }
        AddAwkwardRows(batch);

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var rows = await PostgresRead.RowsAsync(db, SelectAll);
        Assert.Equal(batch.Count, rows.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            AssertRow(batch, batch[i], rows[i], jsonType);
        }
    }

    [Fact]
    public async Task Write_SubRange_StoresOnlyThoseRowsAndItsCheckpoint()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        await store.InitializeAsync(CancellationToken.None);
        using var batch = StoredEventSamples.Batch(records: 25, eventsPerRecord: 4);
        var after = new StorePosition(batch[30].WalAddress, batch[30].WalIndex);

        await store.WriteAsync(batch, 10, 20, after, CancellationToken.None);

        var rows = await PostgresRead.RowsAsync(db, "SELECT wal_address, wal_index FROM events ORDER BY 1, 2");
        Assert.Equal(
            Enumerable.Range(10, 20).Select(i => (batch[i].WalAddress, batch[i].WalIndex)),
            rows.Select(r => ((long)r[0]!, (int)r[1]!)));
        Assert.Equal((after.Address, after.Index), await PostgresRead.CheckpointAsync(db));

        // the rest, in two more writes
        await store.WriteAsync(batch, 0, 10, after, CancellationToken.None);
        await store.WriteAsync(batch, 30, batch.Count - 30, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
        Assert.Equal(100L, await PostgresRead.CountAsync(db));
        Assert.Equal(100L, await PostgresRead.ScalarAsync<long>(db, "SELECT count(DISTINCT event_id) FROM events"));
    }

    [Fact]
    public async Task Write_NoRows_StillAdvancesTheCheckpoint()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 1);

        await store.WriteAsync(batch, 1, 0, new StorePosition(8192, 0), CancellationToken.None); // initializes on first use

        Assert.Equal(0L, await PostgresRead.CountAsync(db));
        Assert.Equal((8192L, 0), await PostgresRead.CheckpointAsync(db));
    }

    [Fact]
    public async Task Resume_ReturnsTheLastStoredBeforeOfThisNode_WithNoRowList()
    {
        string db = fixture.NewDatabase();
        await using var a = PostgresFixture.NewStore(db, node: "node-a");
        await using var b = PostgresFixture.NewStore(db, node: "node-b");
        await a.InitializeAsync(CancellationToken.None);
        await b.InitializeAsync(CancellationToken.None);

        Assert.Equal(StoreResume.Nothing(64).StoredBefore, (await a.ResumeAsync(64, CancellationToken.None)).StoredBefore);

        using var first = StoredEventSamples.Batch(records: 10, eventsPerRecord: 3, firstAddress: 64);
        using var second = StoredEventSamples.Batch(records: 10, eventsPerRecord: 3, firstAddress: first.NextAddress);
        await a.WriteAsync(first, 0, first.Count, new StorePosition(first.NextAddress, 0), CancellationToken.None);
        await a.WriteAsync(second, 0, 7, new StorePosition(second[7].WalAddress, second[7].WalIndex), CancellationToken.None);
        await b.WriteAsync(first, 0, 3, new StorePosition(first[3].WalAddress, first[3].WalIndex), CancellationToken.None);

        var resumeA = await a.ResumeAsync(64, CancellationToken.None);
        Assert.Equal(new StorePosition(second[7].WalAddress, second[7].WalIndex), resumeA.StoredBefore);
        Assert.Empty(resumeA.StoredRows);
        Assert.True(resumeA.IsStored(new StorePosition(second[6].WalAddress, second[6].WalIndex)));
        Assert.False(resumeA.IsStored(new StorePosition(second[7].WalAddress, second[7].WalIndex)));

        var resumeB = await b.ResumeAsync(64, CancellationToken.None);
        Assert.Equal(new StorePosition(first[3].WalAddress, first[3].WalIndex), resumeB.StoredBefore);

        // the drainer's own checkpoint is already past what the store recorded: nothing more to skip
        var ahead = await b.ResumeAsync(second.NextAddress, CancellationToken.None);
        Assert.Equal(new StorePosition(second.NextAddress, 0), ahead.StoredBefore);
        Assert.Empty(ahead.StoredRows);
    }

    [Fact]
    public async Task Write_InvalidJsonInPayload_IsRejectedWithTheServersMessage_AndNothingIsWritten()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        await store.InitializeAsync(CancellationToken.None);
        using var good = StoredEventSamples.Batch(records: 5, eventsPerRecord: 2);
        await store.WriteAsync(good, 0, good.Count, new StorePosition(good.NextAddress, 0), CancellationToken.None);

        // the bad row is near the end: the COPY has sent (and the server parsed) most rows already
        using var batch = StoredEventSamples.Batch(records: 300, eventsPerRecord: 4, firstAddress: good.NextAddress);
        batch[1100].PayloadJson = batch.AddText("{\"unterminated\": "u8);

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() =>
            store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        Assert.Contains("22P02", e.ServerMessage);
        Assert.Contains("invalid input syntax for type json", e.ServerMessage);
        Assert.Contains("COPY events", e.ServerMessage); // where: the COPY line
        Assert.Contains("refused the rows", e.Message);
        Assert.Equal(10L, await PostgresRead.CountAsync(db));
        Assert.Equal((good.NextAddress, 0), await PostgresRead.CheckpointAsync(db));

        // the store is still usable: the same batch without the bad row goes in
        await store.WriteAsync(batch, 0, 1100, new StorePosition(batch[1100].WalAddress, batch[1100].WalIndex), CancellationToken.None);
        Assert.Equal(1110L, await PostgresRead.CountAsync(db));
    }

    [Theory]
    [InlineData("nul in text")]
    [InlineData("invalid utf-8")]
    [InlineData("nul escape in jsonb")]
    public async Task Write_TextPostgresCannotHold_IsRejected_AndNothingIsWritten(string problem)
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        await store.InitializeAsync(CancellationToken.None);
        using var batch = StoredEventSamples.Batch(records: 20, eventsPerRecord: 4);
        ref var row = ref batch[42];
        (string sqlState, string words) = problem switch
        {
            "nul in text" => Set(ref row.Name, batch, "latency\0ms"u8, "22021", "invalid byte sequence for encoding \"UTF8\": 0x00"),
            "invalid utf-8" => Set(ref row.AssetId, batch, [0x61, 0xFF, 0x62], "22021", "invalid byte sequence for encoding \"UTF8\""),
            _ => Set(ref row.TagsJson, batch, "{\"k\":\"a\\u0000b\"}"u8, "22P05", "unsupported Unicode escape sequence"),
        };

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() =>
            store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        Assert.Contains(sqlState, e.ServerMessage);
        Assert.Contains(words, e.ServerMessage);
        Assert.Equal(0L, await PostgresRead.CountAsync(db));
        Assert.Null(await PostgresRead.CheckpointAsync(db));

        static (string, string) Set(ref ArenaSlice slice, StoredEventBatch batch, ReadOnlySpan<byte> text, string state, string message)
        {
            slice = batch.AddText(text);
            return (state, message);
        }
    }

    [Fact]
    public async Task Write_CancelledMidCopy_LeavesNeitherRowsNorCheckpoint_AndTheNextWriteWorks()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        await store.InitializeAsync(CancellationToken.None);
        using var batch = StoredEventSamples.Batch(records: 20_000, eventsPerRecord: 10); // 200k rows: well over a second to COPY
        using var cancel = new CancellationTokenSource();
        var write = store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), cancel.Token);
        await WaitUntilAsync(async () => await CopyProgressAsync(db) > 0, TimeSpan.FromSeconds(30));

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Equal(0L, await PostgresRead.CountAsync(db));
        Assert.Null(await PostgresRead.CheckpointAsync(db));
        await store.WriteAsync(batch, 0, 1000, new StorePosition(batch[1000].WalAddress, batch[1000].WalIndex), CancellationToken.None);
        Assert.Equal(1000L, await PostgresRead.CountAsync(db));
    }

    /// <summary>Rows the COPY into this database has processed so far (pg_stat_progress_copy), 0 when none runs.</summary>
    private async Task<long> CopyProgressAsync(string db)
    {
        string name = db.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
        return await PostgresRead.ScalarAsync<long>(fixture.Server.ConnectionString,
            $"SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE datname = '{name}'");
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Rows with text that needs escaping in JSON and SQL, unicode, extreme numbers and clamped tokens.</summary>
    private static void AddAwkwardRows(StoredEventBatch batch)
    {
        long address = batch.NextAddress;
        var when = StoredEventSamples.BaseTime.AddHours(3);
        for (int i = 0; i < 4; i++)
        {
            ref var row = ref StoredEventSamples.AddEvent(batch, new StoredEventSamples.SampleEvent(address, i, "tenant \"quoted\" ü", when));
            row.TimeUnixNano += 123_456_789 + i;
            row.Name = batch.AddText(Encoding.UTF8.GetBytes("na\"me\\with'quotes,\ttabs;and–dashes ✓"));
            row.CorrelationId = batch.AddText(Encoding.UTF8.GetBytes("corr 😀 " + i));
            row.ParentEventId = batch.AddText(Encoding.UTF8.GetBytes(StoredEventSamples.EventId(64, i)));
            row.TagsJson = batch.AddText(Encoding.UTF8.GetBytes("{\"q\":\"a\\\"b\\\\c\\n\\t\\u00e9 ✓ 😀\",\"html\":\"</script>\",\"ls\":\"\\u2028\",\"empty\":\"\"}"));
            row.PayloadJson = i == 0 ? default : batch.AddText(Encoding.UTF8.GetBytes("{\"nested\":{\"arr\":[1,2.5,-3e-7,true,null,\"x\"]},\"big\":12345678901234567890}"));
            row.SourceModule = (SourceModule)(i + 3);
            row.EventType = (EventType)(i + 3);
            row.Severity = (Severity)(i + 1);
            row.PayloadKind = PayloadKind.Custom;
            row.ValueDimension = UnitDimension.Rate;
            row.Value = i switch { 0 => double.NaN, 1 => 1e308, 2 => -0.000001, _ => double.PositiveInfinity };
            row.InputTokens = i == 3 ? ulong.MaxValue : (ulong)long.MaxValue;
            row.OutputTokens = (ulong)i;
        }

        batch.NextAddress = address + 4096;
    }

    private static void AssertRow(StoredEventBatch batch, StoredEvent expected, object?[] actual, PostgresJsonType jsonType)
    {
        string Text(ArenaSlice slice) => Encoding.UTF8.GetString(batch.Text(slice));
        long Nanos(object? time, object? ns) => (((DateTime)time!).Ticks - DateTime.UnixEpoch.Ticks) * 100 + (short)ns!;

        Assert.Equal(expected.TimeUnixNano, Nanos(actual[0], actual[1]));
        Assert.Equal(expected.ReceivedUnixNano, Nanos(actual[2], actual[3]));
        Assert.Equal(Text(expected.EventId), (string)actual[4]!);
        Assert.Equal(expected.WalAddress, (long)actual[5]!);
        Assert.Equal(expected.WalIndex, (int)actual[6]!);
        Assert.Equal(expected.Value, (double)actual[7]!);
        Assert.Equal((long)Math.Min(expected.InputTokens, long.MaxValue), (long)actual[8]!);
        Assert.Equal((long)Math.Min(expected.OutputTokens, long.MaxValue), (long)actual[9]!);
        Assert.Equal((short)expected.SourceModule, (short)actual[10]!);
        Assert.Equal((short)expected.EventType, (short)actual[11]!);
        Assert.Equal((short)expected.Severity, (short)actual[12]!);
        Assert.Equal((short)expected.PayloadKind, (short)actual[13]!);
        Assert.Equal((short)expected.ValueDimension, (short)actual[14]!);
        Assert.Equal(Text(expected.TenantId), (string)actual[15]!);
        Assert.Equal("node-a", (string)actual[16]!);
        Assert.Equal(Text(expected.SchemaVersion), (string)actual[17]!);
        Assert.Equal(Text(expected.CorrelationId), (string)actual[18]!);
        Assert.Equal(Text(expected.ParentEventId), (string)actual[19]!);
        Assert.Equal(Text(expected.Environment), (string)actual[20]!);
        Assert.Equal(Text(expected.AssetId), (string)actual[21]!);
        Assert.Equal(Text(expected.Name), (string)actual[22]!);
        Assert.Equal(Text(expected.Unit), (string)actual[23]!);
        AssertJson(expected.TagsJson.IsEmpty ? "{}" : Text(expected.TagsJson), (string)actual[24]!, jsonType);
        AssertJson(expected.PayloadJson.IsEmpty ? "{}" : Text(expected.PayloadJson), (string)actual[25]!, jsonType);
    }

    /// <summary>json keeps the text byte for byte; jsonb keeps the value (keys reordered, spaces normalised).</summary>
    private static void AssertJson(string expected, string actual, PostgresJsonType jsonType)
    {
        if (jsonType == PostgresJsonType.Json)
        {
            Assert.Equal(expected, actual);
        }
        else
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, stored {actual}");
        }
    }
}
