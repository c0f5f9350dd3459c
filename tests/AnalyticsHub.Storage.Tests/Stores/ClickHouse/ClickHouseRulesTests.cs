using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

/// <summary>The store's rules that need no server: error classification, versions, DDL per layout, RowBinary bytes.</summary>
public sealed class ClickHouseRulesTests
{
    [Theory]
    [InlineData("Code: 33, e.displayText() = DB::Exception: Cannot read all data. Bytes read: 2. Bytes expected: 5.: (at row 1)\n, e.what() = DB::Exception\n", 33)]
    [InlineData("Code: 252. DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts. (TOO_MANY_PARTS) (version 23.8.1.1)", 252)]
    [InlineData("some prefix\nCode: 60, e.displayText() = DB::Exception: Table x.events doesn't exist., e.what() = DB::Exception", 60)]
    public void TryParse_BothMessageFormats_FindTheCode(string body, int code)
    {
        Assert.True(ClickHouseError.TryParse(body, out var error));
        Assert.Equal(code, error.Code);
        Assert.StartsWith("Code: " + code, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ok.")]
    [InlineData("Code: x")]
    public void TryParse_NoCode_False(string body) => Assert.False(ClickHouseError.TryParse(body, out _));

    [Theory]
    [InlineData(6, true, false)]
    [InlineData(27, true, false)]
    [InlineData(33, true, false)]
    [InlineData(53, true, false)]
    [InlineData(69, true, false)]
    [InlineData(70, true, false)]
    [InlineData(117, true, false)]
    [InlineData(131, true, false)]
    [InlineData(321, true, false)]
    [InlineData(395, true, false)]
    [InlineData(252, false, true)]
    [InlineData(241, false, true)]
    [InlineData(202, false, true)]
    [InlineData(159, false, true)]
    [InlineData(209, false, true)]
    [InlineData(210, false, true)]
    [InlineData(60, false, false)]   // UNKNOWN_TABLE: an operator fixes it; retried, not dead-lettered
    [InlineData(193, false, false)]  // WRONG_PASSWORD
    public void Classification_DataErrorsRejected_RestRetried(int code, bool data, bool transient)
    {
        var error = new ClickHouseError(code, "Code: " + code);
        Assert.Equal(data, error.IsDataError);
        Assert.Equal(transient, error.IsTransient);
    }

    [Theory]
    [InlineData("18.16.1", ClickHouseTableLayout.Legacy)]
    [InlineData("19.17.4.11", ClickHouseTableLayout.Legacy)]
    [InlineData("20.1.2.4", ClickHouseTableLayout.Legacy)]
    [InlineData("20.3.21.2", ClickHouseTableLayout.Modern)]
    [InlineData("21.8.15.7", ClickHouseTableLayout.Modern)]
    [InlineData("24.8.4.13\n", ClickHouseTableLayout.Modern)]
    public void Version_DecidesTheLayoutOfNewTables(string text, ClickHouseTableLayout layout)
    {
        Assert.True(ClickHouseServerVersion.TryParse(text, out var version));
        Assert.Equal(layout, version.LayoutForNewTables);
    }

    [Fact]
    public void ModernDdl_UsesDateTime64CodecsLowCardinalityTtlAndSkipIndex()
    {
        string ddl = ClickHouseSchema.CreateEventsTable(ClickHouseTableLayout.Modern, "db", "events_local", " ON CLUSTER `c`", replicated: true, retentionDays: 14);

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS db.events_local ON CLUSTER `c`\n(\n    node LowCardinality(String),\n", ddl, StringComparison.Ordinal);
        Assert.Contains("    time DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),\n", ddl, StringComparison.Ordinal);
        Assert.DoesNotContain("time_ns", ddl, StringComparison.Ordinal);
        Assert.Contains("INDEX wal_address_minmax wal_address TYPE minmax GRANULARITY 4", ddl, StringComparison.Ordinal);
        Assert.Contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/db/events_local', '{replica}')", ddl, StringComparison.Ordinal);
        Assert.EndsWith(
            "PARTITION BY toYYYYMMDD(time)\nORDER BY (tenant_id, source_module, event_type, name, time)\nTTL toDateTime(time) + toIntervalDay(14)\nSETTINGS ttl_only_drop_parts = 1",
            ddl, StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyDdl_UsesOnlyWhat18_16Has()
    {
        string ddl = ClickHouseSchema.CreateEventsTable(ClickHouseTableLayout.Legacy, "db", "events", "", replicated: false, retentionDays: 30);

        foreach (var absent in (string[])["CODEC", "LowCardinality", "DateTime64", "TTL", "INDEX", "SETTINGS"])
        {
            Assert.DoesNotContain(absent, ddl, StringComparison.Ordinal);
        }

        Assert.Contains("    time DateTime('UTC'),\n    time_ns UInt32,\n", ddl, StringComparison.Ordinal);
    }

    [Fact]
    public void Distributed_ShardsByWalPosition()
    {
        Assert.Equal(
            "CREATE TABLE IF NOT EXISTS db.events AS db.events_local\nENGINE = Distributed('c', 'db', 'events_local', cityHash64(wal_address, wal_index))",
            ClickHouseSchema.CreateDistributedTable("db", "events", "c", ""));
    }

    [Theory]
    [InlineData(ClickHouseTableLayout.Legacy)]
    [InlineData(ClickHouseTableLayout.Modern)]
    public void RowBinary_OneRow_ByteExact(ClickHouseTableLayout layout)
    {
        using var batch = new StoredEventBatch(16, 4096);
        ref var row = ref batch.AddRow();
        row.WalAddress = 0x0102030405060708;
        row.WalIndex = 9;
        // 61f0c404-5cb3-11e7-907b-a6006ad3dba0, ClickHouse's documentation example.
        row.IdHigh = 0x61f0c4045cb311e7;
        row.IdLow = 0x907ba6006ad3dba0;
        row.TenantId = batch.AddText("t"u8);
        row.TimeUnixNano = 1_700_000_000_123_456_789;
        row.ReceivedUnixNano = 1_700_000_001_000_000_001;
        row.SourceModule = Core.Events.SourceModule.LlmCostOps;
        row.EventType = Core.Events.EventType.Cost;
        row.Severity = Core.Events.Severity.Error;
        row.PayloadKind = Core.Events.PayloadKind.Cost;
        row.ValueDimension = Core.Normalization.UnitDimension.Usd;
        row.Name = batch.AddText(new byte[200]); // a two-byte LEB128 length: 0xC8 0x01
        row.Value = 1.5;
        row.InputTokens = 7;
        row.OutputTokens = 0xFFFFFFFFFFFFFFFF;
        row.TagsJson = batch.AddText("{}"u8);
        byte[] node = "n1"u8.ToArray();

        byte[] actual = new byte[EventRowEncoder.RowSize(row, node.Length)];
        int written = EventRowEncoder.Write(actual, batch, row, node, layout);

        var expected = new List<byte> { 2, (byte)'n', (byte)'1' };
        expected.AddRange([8, 7, 6, 5, 4, 3, 2, 1, 9, 0, 0, 0]);
        expected.AddRange([0xe7, 0x11, 0xb3, 0x5c, 0x04, 0xc4, 0xf0, 0x61, 0xa0, 0xdb, 0xd3, 0x6a, 0x00, 0xa6, 0x7b, 0x90]);
        expected.AddRange([1, (byte)'t']);
        if (layout == ClickHouseTableLayout.Legacy)
        {
            expected.AddRange(BitConverter.GetBytes(1_700_000_000u));
            expected.AddRange(BitConverter.GetBytes(123_456_789u));
            expected.AddRange(BitConverter.GetBytes(1_700_000_001u));
            expected.AddRange(BitConverter.GetBytes(1u));
        }
        else
        {
            expected.AddRange(BitConverter.GetBytes(1_700_000_000_123_456_789L));
            expected.AddRange(BitConverter.GetBytes(1_700_000_001_000_000_001L));
        }

        expected.AddRange([3, 3, 4, 22, 4]);
        expected.AddRange([0, 0, 0, 0, 0]); // schema_version, correlation_id, parent_event_id, environment, asset_id
        expected.AddRange([0xC8, 0x01]);
        expected.AddRange(new byte[200]);
        expected.AddRange(BitConverter.GetBytes(1.5));
        expected.Add(0); // unit
        expected.AddRange(BitConverter.GetBytes(7UL));
        expected.AddRange(BitConverter.GetBytes(ulong.MaxValue));
        expected.AddRange([2, (byte)'{', (byte)'}', 0]);
        Assert.Equal(expected.Count, written);
        Assert.Equal([.. expected], actual);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8123", null, false)]
    [InlineData("http://localhost:8123", null, false)]
    [InlineData("http://[::1]:8123", null, false)]
    [InlineData("http://clickhouse.internal:8123", null, true)]
    [InlineData("http://10.1.2.3:8123", null, true)]
    [InlineData("http://127.0.0.1:8123", true, true)]
    [InlineData("http://clickhouse.internal:8123", false, false)]
    public void GzipInserts_ByDefaultOnlyOffThisHost(string url, bool? configured, bool gzip) =>
        Assert.Equal(gzip, new ClickHouseStoreOptions { Url = url, CompressRequests = configured }.GzipInserts);

    [Fact]
    public void Options_NamesSplicedIntoSql_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new ClickHouseEventStore(new ClickHouseStoreOptions { Database = "x; DROP TABLE y" }));
        Assert.Throws<ArgumentException>(() => new ClickHouseEventStore(new ClickHouseStoreOptions { NodeId = "a'b" }));
        Assert.Throws<ArgumentException>(() => new ClickHouseEventStore(new ClickHouseStoreOptions { Url = "ftp://x" }));
        Assert.Throws<ArgumentException>(() => new ClickHouseEventStore(new ClickHouseStoreOptions { ClusterNodeUrls = ["http://x:8123"] }));
    }
}
