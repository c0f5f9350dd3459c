using System.Net;
using AnalyticsHub.Client;
using AnalyticsHub.Protocol.Grpc;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// The WAL on a disk that cannot be written: at startup the hub refuses to run (exit code 3,
/// "Cannot start: …" naming the path); at runtime producers get UNAVAILABLE with the reason,
/// nothing is acknowledged that is not durable, and the log recovers once there is room.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class DiskFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // Small pages and segments, so a 16 MiB file system holds a few segments and fills quickly.
    private static readonly string[] SmallWal = ["--Hub:Wal:PageSizeBits=20", "--Hub:Wal:MemorySizeBits=22", "--Hub:Wal:SegmentSizeBits=22"];

    [Fact]
    public async Task DataDirUnderARegularFile_ExitsWithCode3AndNamesThePath()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            var dataDir = Path.Combine(blocker, "data");
            await using var hub = HubProcess.StartIn(dataDir, ownsDataDir: false);
            Assert.True(await hub.WaitForExitAsync(StartTimeout), "the hub kept running with an impossible data directory:\n" + hub.Output);
            Assert.True(hub.ExitCode == 3, $"exit code {hub.ExitCode}, expected 3:\n{hub.Output}");
            Assert.Contains("Cannot start: ", hub.Output, StringComparison.Ordinal);
            Assert.Contains(dataDir, hub.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task DataDirOnReadOnlyFileSystem_ExitsWithCode3AndNamesThePathAndTheReason()
    {
        await using var mount = await TmpfsMount.TryMountAsync(8, output);
        if (mount is null)
        {
            return;
        }

        var dataDir = Path.Combine(mount.Path, "data");
        Directory.CreateDirectory(Path.Combine(dataDir, "wal"));
        await mount.RemountAsync("ro");
        await using var hub = HubProcess.StartIn(dataDir, ownsDataDir: false, SmallWal);
        Assert.True(await hub.WaitForExitAsync(StartTimeout), "the hub kept running on a read-only data directory:\n" + hub.Output);
        Assert.True(hub.ExitCode == 3, $"exit code {hub.ExitCode}, expected 3:\n{hub.Output}");
        Assert.Contains("Cannot start: ", hub.Output, StringComparison.Ordinal);
        Assert.Contains(dataDir, hub.Output, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", hub.Output, StringComparison.Ordinal);
        await mount.RemountAsync("rw");
    }

    // Once failed intermittently (the reopened log was empty although 571 batches were acked): FASTER's
    // commit manager ignored a failed commit-record write and deleted the previous record, and its
    // recovery swallowed the error. The WAL now writes its own commit records (DurableCommitManager).
    [Fact]
    public async Task StreamEvents_DiskFills_UnavailableWithReason_NothingAckedIsLost_AndLogRecoversWithRoom()
    {
        await using var mount = await TmpfsMount.TryMountAsync(16, output);
        if (mount is null)
        {
            return;
        }

        var dataDir = Path.Combine(mount.Path, "data");
        var walDir = Path.Combine(dataDir, "wal");
        await using var hub = HubProcess.StartIn(dataDir, ownsDataDir: false, SmallWal);
        await hub.WaitUntilListeningAsync(StartTimeout);
        var producer = new RetryingProducer("full-disk-producer", eventsPerBatch: 200, maxInFlight: 16);

        // Stream until the file system is full: ~16 MiB of WAL, a few seconds.
        RetryingProducer.SessionResult filled;
        using (var channel = TestBatches.Channel(hub))
        {
            filled = await producer.RunSessionAsync(channel, newBatches: 10_000, TimeSpan.FromSeconds(60));
        }

        output.WriteLine($"{producer.AckedBatches} batches acked, {producer.UnackedBatches} not, {mount.AvailableBytes:N0} bytes left; the call {filled}");
        Assert.False(filled.Completed, $"10,000 batches of 200 events fit in 16 MiB?\n{hub.Output}");
        Assert.True(mount.AvailableBytes < 1 << 20, $"the call failed with {mount.AvailableBytes:N0} bytes still free: {filled}\n{hub.Output}");
        Assert.True(producer.AckedBatches > 0, "nothing was acknowledged before the disk filled");
        Assert.Empty(producer.Problems);
        var error = filled.Error ?? throw new Xunit.Sdk.XunitException($"the call failed without a gRPC status: {filled}");
        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted, $"status {error.Status}");
        Assert.Contains(walDir, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("unavailable", error.Status.Detail, StringComparison.Ordinal);

        // The failure is sticky and explained: new calls are refused, the process lives, readiness says why.
        using (var channel = TestBatches.Channel(hub))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(
                TestBatches.IngestBatch, TestBatches.Batch("full-disk-unary", 1, 10), new CallOptions { Timeout = StartTimeout }));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Contains(walDir, refused.Status.Detail, StringComparison.Ordinal);
        }

        await HubHttp.AssertAliveAsync(hub, "after the disk filled");
        var (ready, walCheck) = await HubHttp.ReadinessAsync(hub);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.StartsWith("unavailable: ", walCheck, StringComparison.Ordinal);

        hub.Terminate();
        Assert.True(await hub.WaitForExitAsync(StartTimeout), "no exit after SIGTERM with a failed WAL:\n" + hub.Output);

        // On the still-full disk the hub refuses to start, and says why.
        hub.Restart();
        Assert.True(await hub.WaitForExitAsync(StartTimeout), "the hub started on a full disk:\n" + hub.Output);
        Assert.True(hub.ExitCode == 3, $"exit code {hub.ExitCode} on a full disk, expected 3:\n{hub.Output}");
        Assert.Contains($"Cannot start: WAL at '{walDir}'", hub.Output, StringComparison.Ordinal);
        Assert.Contains("No space left on device", hub.Output, StringComparison.Ordinal);

        // With room again, the log opens: every acknowledged event is there once (nothing acked was lost, nothing is corrupt) ...
        await mount.RemountAsync("size=64m");
        var recovered = await WalContents.ReadAsync(dataDir, pageSizeBits: 20, memorySizeBits: 22, segmentSizeBits: 22);
        recovered.AssertEachOnce(producer.AckedEventIds(), "after the disk filled, the acknowledged events");
        output.WriteLine($"recovered: {recovered.Records} records, {recovered.EventIds.Count:N0} events");

        // ... and the hub takes the producer's retries and new batches, storing each event once.
        hub.Restart();
        await hub.WaitUntilListeningAsync(StartTimeout);
        using (var channel = TestBatches.Channel(hub))
        {
            var resumed = await producer.RunSessionAsync(channel, newBatches: 20, TimeSpan.FromSeconds(60));
            Assert.True(resumed.Completed, $"after the restart with room: {resumed}\n{hub.Output}");
        }

        hub.Terminate();
        Assert.True(await hub.WaitForExitAsync(StartTimeout), hub.Output);
        var final = await WalContents.ReadAsync(dataDir, pageSizeBits: 20, memorySizeBits: 22, segmentSizeBits: 22);
        var sent = producer.SentEventIds();
        final.AssertEachOnce(sent, "at the end, every event sent");
        Assert.Equal(sent.Count, final.EventIds.Count);
    }
}
