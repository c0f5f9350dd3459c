using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

/// <summary>How failures come out: unreachable and slow servers are transient, refused rows are rejected with the server's words.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseFailureTests(ClickHouseFixture fixture)
{
    [Fact]
    public async Task InitializeAsync_NothingListening_UnavailableNamingTheUrlQuickly()
    {
        string url = $"http://127.0.0.1:{ClosedPort()}";
        await using var store = new ClickHouseEventStore(fixture.Options() with { Url = url });
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains(url, e.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_RunningServer_ReportsItsVersion_NothingListening_ReportsWhy()
    {
        await using var store = new ClickHouseEventStore(fixture.Options());
        string url = $"http://127.0.0.1:{ClosedPort()}";
        await using var nowhere = new ClickHouseEventStore(fixture.Options() with { Url = url });

        var ok = await store.ProbeAsync(CancellationToken.None);
        var failed = await nowhere.ProbeAsync(CancellationToken.None);

        Assert.True(ok.Reachable);
        Assert.Equal(fixture.Server.Version, ok.ServerVersion);
        Assert.False(failed.Reachable);
        Assert.Contains(url, failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_SlowerThanTheTimeout_UnavailableSayingSo()
    {
        var options = fixture.Options() with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        using var http = new ClickHouseHttp(options);
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => http.QueryAsync(options.BaseUri, "SELECT sleep(3)", FailureKind.Read, "a slow query", CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");
        Assert.Contains("did not answer a slow query within 0.3 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_ExceptionAfterTheAnswerStarted_IsAFailureNotData()
    {
        // Without wait_end_of_query the server has sent 200 and rows when the query fails: the
        // exception text is appended to the body.
        var options = fixture.Options();
        using var http = new ClickHouseHttp(options);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => http.QueryAsync(
            options.BaseUri, "SELECT number, throwIf(number = 300000) FROM system.numbers LIMIT 400000", FailureKind.Read, "a failing query",
            CancellationToken.None, settings: "wait_end_of_query=0"));

        Assert.True(e.Message.Contains("HTTP 200", StringComparison.Ordinal), e.Message);
        Assert.Contains("Code: 395", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_CallerCancels_OperationCanceledNotAStoreFailure()
    {
        var options = fixture.Options();
        using var http = new ClickHouseHttp(options);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => http.QueryAsync(options.BaseUri, "SELECT sleep(3)", FailureKind.Read, "a slow query", cancel.Token));

        Assert.Equal(cancel.Token, e.CancellationToken);
    }

    [Fact]
    public async Task WriteAsync_ServerRuleRefusesARow_RejectedWithServerMessage_AndNothingOfTheBatchStored()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        // A real refusal by the server: a MATERIALIZED column that throws for one name (18.16 has no CHECK constraints).
        fixture.Server.Query($"ALTER TABLE {options.Database}.events ADD COLUMN guard UInt8 MATERIALIZED throwIf(name = 'poison')");
        using var batch = StoredEventSamples.Batch(records: 50, eventsPerRecord: 4);
        batch[137].Name = batch.AddText("poison"u8);

        var e = await Assert.ThrowsAsync<StoreRejectedException>(
            () => store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        Assert.StartsWith("Code: 395", e.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("throwIf", e.ServerMessage, StringComparison.Ordinal);
        Assert.Contains(e.ServerMessage, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Count(options.Database));

        // The rows around it are fine.
        await store.WriteAsync(batch, 0, 137, new StorePosition(batch[137].WalAddress, batch[137].WalIndex), CancellationToken.None);
        await store.WriteAsync(batch, 138, batch.Count - 138, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
        Assert.Equal(batch.Count - 1, fixture.Count(options.Database));
    }

    [Fact]
    public async Task InsertAsync_MalformedRowBinary_RejectedWithServerMessage()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 2);
        byte[] node = Encoding.UTF8.GetBytes(options.NodeId);
        byte[] body = new byte[EventRowEncoder.RowSize(batch[0], node.Length) + EventRowEncoder.RowSize(batch[1], node.Length)];
        int first = EventRowEncoder.Write(body, batch, batch[0], node, store.Layout);
        EventRowEncoder.Write(body.AsSpan(first), batch, batch[1], node, store.Layout);
        using var http = new ClickHouseHttp(options);
        string columns = ClickHouseSchema.InsertColumnList(store.Layout, ClickHouseSchema.EventColumns);
        using var truncated = new ByteArrayContent(body, 0, body.Length - 3);

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => http.InsertAsync(
            options.BaseUri, $"INSERT INTO {options.Database}.events {columns} FORMAT RowBinary", "", truncated, "a truncated insert", CancellationToken.None));

        Assert.StartsWith("Code: 33", e.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("Cannot read all data", e.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Count(options.Database));
    }

    [Fact]
    public async Task InsertAsync_ServerAnswersWhileTheBodyIsStillBeingSent_ItsMessageComesThrough()
    {
        // The server fails at row 0 of a 16 MB body and answers while the client is still sending:
        // the answer must surface, not a broken-pipe "unreachable".
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 12_500, eventsPerRecord: 4);
        byte[] node = Encoding.UTF8.GetBytes(options.NodeId);
        long size = 0;
        foreach (ref readonly var row in batch.Rows)
        {
            size += EventRowEncoder.RowSize(row, node.Length);
        }

        byte[] body = new byte[size];
        int at = 0;
        foreach (ref readonly var row in batch.Rows)
        {
            at += EventRowEncoder.Write(body.AsSpan(at), batch, row, node, store.Layout);
        }

        // The tenant_id length of row 0 (after node, WAL position and id) claims ~34 GB: 18.16 fails to
        // allocate it (173, retried), later servers refuse the size (131, rejected).
        int tenant = 1 + node.Length + 28;
        body[tenant] = 0xFF;
        body[tenant + 1] = 0xFF;
        body[tenant + 2] = 0xFF;
        body[tenant + 3] = 0xFF;
        body[tenant + 4] = 0x7F;
        using var http = new ClickHouseHttp(options);
        string columns = ClickHouseSchema.InsertColumnList(store.Layout, ClickHouseSchema.EventColumns);
        using var content = new ByteArrayContent(body);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => http.InsertAsync(
            options.BaseUri, $"INSERT INTO {options.Database}.events {columns} FORMAT RowBinary", "", content, "a corrupt insert", CancellationToken.None));

        Assert.True(e is StoreRejectedException or StoreUnavailableException, e.ToString());
        Assert.Contains("Code: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Count(options.Database));
    }

    [Fact]
    public async Task WriteAsync_MissingTable_UnavailableNotRejected()
    {
        // An operator's mistake (a dropped table) must not send every row to the dead-letter log.
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        fixture.Server.Query($"DROP TABLE {options.Database}.events");
        using var batch = StoredEventSamples.Batch(records: 2, eventsPerRecord: 2);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        Assert.Contains("Code: 60", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_TimeBefore1970OnLegacyLayout_RejectedBeforeAnythingIsSent()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        if (store.Layout != ClickHouseTableLayout.Legacy)
        {
            return; // DateTime64 holds it
        }

        using var batch = StoredEventSamples.Batch(records: 2, eventsPerRecord: 2);
        batch[3].TimeUnixNano = -5;

        var e = await Assert.ThrowsAsync<StoreRejectedException>(
            () => store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        Assert.Contains($"({batch[3].WalAddress}, {batch[3].WalIndex})", e.Message, StringComparison.Ordinal);
        Assert.Contains("DateTime", e.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Count(options.Database));
        Assert.Equal(0, fixture.Count(options.Database, "event_writes"));
    }

    [Fact]
    public async Task WriteAsync_ServerStoppedThenRestarted_UnavailableThenWritesAgain()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 10, eventsPerRecord: 4);
        await store.WriteAsync(batch, 0, 20, new StorePosition(batch[20].WalAddress, 0), CancellationToken.None);

        fixture.Server.Stop();
        try
        {
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(
                () => store.WriteAsync(batch, 20, 20, new StorePosition(batch.NextAddress, 0), CancellationToken.None));
            Assert.Contains(fixture.Server.HttpUrl, e.Message, StringComparison.Ordinal);
            Assert.False((await store.ProbeAsync(CancellationToken.None)).Reachable);
        }
        finally
        {
            fixture.Server.Start();
        }

        await store.WriteAsync(batch, 20, 20, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
        Assert.Equal(40, fixture.Count(options.Database));
    }

    [Fact]
    public async Task WriteAsync_TimesOutWhileTheServerStillWrites_ReturnsOnceTheInsertSettled()
    {
        // A slow insert (1 s per block) and a 300 ms timeout: the server keeps writing after the client gave up.
        var options = fixture.Options() with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var store = await fixture.StoreAsync(options with { RequestTimeout = TimeSpan.FromSeconds(30) });
        fixture.Server.Query($"ALTER TABLE {options.Database}.events ADD COLUMN slow UInt8 MATERIALIZED sleep(1)");
        await using var impatient = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 250, eventsPerRecord: 4);
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => impatient.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"returned after {clock.Elapsed}, before the insert ended");
        // What a resume sees right after the failure is final: the rows do not appear later.
        var resume = await store.ResumeAsync(0, CancellationToken.None);
        long now = fixture.Count(options.Database);
        await Task.Delay(1500);
        Assert.Equal(now, fixture.Count(options.Database));
        Assert.Equal(now, resume.StoredRows.Count);
        Assert.Equal(batch.Count, now); // a client that gives up does not cancel a received insert
    }

    [Fact]
    public async Task WriteAsync_CancelledToken_OperationCanceled()
    {
        await using var store = await fixture.StoreAsync();
        using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.WriteAsync(batch, 0, 1, new StorePosition(batch.NextAddress, 0), new CancellationToken(canceled: true)));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
