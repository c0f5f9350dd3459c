using System.Globalization;
using System.Text;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseWriteTests(ClickHouseFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteAsync_SampleBatch_EveryColumnReadsBackAsWritten(bool gzip)
    {
        var options = fixture.Options() with { CompressRequests = gzip };
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 750, eventsPerRecord: 4);
        for (int i = 0; i < batch.Count; i++)
        {
            // Samples are whole milliseconds apart; nanoseconds must survive too.
            batch[i].TimeUnixNano += 123_456 + i;
            batch[i].ReceivedUnixNano += 999_999_999 - i;
        }

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var rows = ReadBack(options.Database, store.Layout);
        Assert.Equal(batch.Count, rows.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            AssertRow(batch, batch[i], options.NodeId, rows[i], $"row {i}");
        }
    }

    [Fact]
    public async Task WriteAsync_SubRange_WritesExactlyThoseRows()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 25, eventsPerRecord: 4);

        await store.WriteAsync(batch, 10, 25, new StorePosition(batch[35].WalAddress, batch[35].WalIndex), CancellationToken.None);

        var rows = ReadBack(options.Database, store.Layout);
        Assert.Equal(25, rows.Count);
        for (int i = 0; i < 25; i++)
        {
            AssertRow(batch, batch[10 + i], options.NodeId, rows[i], $"row {10 + i}");
        }
    }

    [Fact]
    public async Task WriteAsync_RowsLargerThanAChunk_AreWrittenWhole()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 6);
        // LEB128 lengths of 1, 2, 3 bytes, and rows larger than the encoder's 256 KiB chunk.
        int[] sizes = [5, 200, 20_000, 300_000, 10, 1_000_000];
        for (int i = 0; i < sizes.Length; i++)
        {
            string payload = "{\"blob\":\"" + new string((char)('a' + i), sizes[i]) + "\"}";
            batch[i].PayloadJson = batch.AddText(Encoding.UTF8.GetBytes(payload));
        }

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var rows = ReadBack(options.Database, store.Layout);
        Assert.Equal(sizes.Length, rows.Count);
        for (int i = 0; i < sizes.Length; i++)
        {
            AssertRow(batch, batch[i], options.NodeId, rows[i], $"row {i}");
        }
    }

    [Fact]
    public async Task WriteAsync_ZeroRows_SendsNothing()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 2, eventsPerRecord: 2);

        await store.WriteAsync(batch, 1, 0, new StorePosition(batch.FirstAddress, 0), CancellationToken.None);

        Assert.Equal(0, fixture.Count(options.Database));
        Assert.Equal(0, fixture.Count(options.Database, "event_writes"));
    }

    [Fact]
    public async Task WriteAsync_TimesInUtcDayPartitions_WhateverTheServerTimeZone()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        // 23:30 UTC is already the next day in Asia/Kolkata (+05:30).
        var late = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero);
        using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 1, time: late);

        await store.WriteAsync(batch, 0, 1, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        Assert.Equal("Asia/Kolkata", fixture.Server.Query("SELECT timezone()").Trim());
        Assert.Equal("2026-11-23 23:30:00", fixture.Server.Query($"SELECT toString(time) FROM {options.Database}.events").Trim());
        Assert.Equal(
            "20261123",
            fixture.Server.Query($"SELECT partition FROM system.parts WHERE database = '{options.Database}' AND table = 'events' AND active").Trim());
    }

    [Fact]
    public async Task WriteAsync_Rows_AreJournaledWithTheirWalAndTimeRanges()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 3, eventsPerRecord: 4, firstAddress: 8192);

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        long first = batch[0].WalAddress, last = batch[batch.Count - 1].WalAddress;
        long minSeconds = batch[0].TimeUnixNano / 1_000_000_000, maxSeconds = batch[batch.Count - 1].TimeUnixNano / 1_000_000_000;
        Assert.Equal(
            $"{options.NodeId}\t{first}\t{last}\t{batch.Count}\t{minSeconds}\t{maxSeconds}",
            fixture.Server.Query(
                $"SELECT node, first_address, last_address, rows, toUInt32(min_time), toUInt32(max_time) FROM {options.Database}.event_writes").Trim());
    }

    /// <summary>Every column of the events table, ordered by WAL position, times as nanoseconds since the epoch.</summary>
    private List<string[]> ReadBack(string database, ClickHouseTableLayout layout)
    {
        string Nanos(string column) => layout == ClickHouseTableLayout.Legacy
            ? $"toString(toUInt64({column}) * 1000000000 + {column}_ns)"
            : $"toString(toUnixTimestamp64Nano({column}))";
        return ClickHouseFixture.JsonRows(fixture.Server.Query(
            $"""
            SELECT node, wal_address, wal_index, toString(event_id), tenant_id, {Nanos("time")}, {Nanos("received")},
                   source_module, event_type, severity, payload_kind, value_dimension,
                   schema_version, correlation_id, parent_event_id, environment, asset_id,
                   name, value, unit, input_tokens, output_tokens, tags, payload
            FROM {database}.events ORDER BY wal_address, wal_index FORMAT JSONCompact
            """));
    }

    private static void AssertRow(StoredEventBatch batch, in StoredEvent expected, string node, string[] actual, string what)
    {
        string Text(Core.Events.ArenaSlice slice) => Encoding.UTF8.GetString(batch.Text(slice));
        string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
        string[] want =
        [
            node, Number(expected.WalAddress), Number(expected.WalIndex), Text(expected.EventId), Text(expected.TenantId),
            Number(expected.TimeUnixNano), Number(expected.ReceivedUnixNano),
            Number((byte)expected.SourceModule), Number((byte)expected.EventType), Number((byte)expected.Severity),
            Number((byte)expected.PayloadKind), Number((byte)expected.ValueDimension),
            Text(expected.SchemaVersion), Text(expected.CorrelationId), Text(expected.ParentEventId), Text(expected.Environment),
            Text(expected.AssetId), Text(expected.Name), "", Text(expected.Unit),
            expected.InputTokens.ToString(CultureInfo.InvariantCulture), expected.OutputTokens.ToString(CultureInfo.InvariantCulture),
            Text(expected.TagsJson), Text(expected.PayloadJson),
        ];
        Assert.Equal(want.Length, actual.Length);
        for (int c = 0; c < want.Length; c++)
        {
            if (c == 18)
            {
                Assert.True(
                    double.Parse(actual[c], CultureInfo.InvariantCulture) == expected.Value,
                    $"{what}: value {actual[c]} != {expected.Value.ToString("R", CultureInfo.InvariantCulture)}");
                continue;
            }

            Assert.True(want[c] == actual[c], $"{what}, column {c}: expected [{want[c]}], got [{actual[c]}]");
        }
    }
}
