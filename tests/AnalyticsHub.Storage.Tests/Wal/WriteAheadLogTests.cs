using System.Diagnostics;
using AnalyticsHub.Storage.Wal;
using static AnalyticsHub.Storage.Tests.Wal.WalTestKit;

namespace AnalyticsHub.Storage.Tests.Wal;

public sealed class WriteAheadLogTests
{
    [Fact]
    public async Task Append_WaitDurable_Reopen_RecordsAreByteExactInOrderAtSameAddresses()
    {
        using var dir = new TempDirectory();
        var appended = new List<long>();
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            for (long i = 0; i < 2_000; i++)
            {
                appended.Add(wal.Append(MakeRecord(i)));
            }
            await wal.WaitForDurableAsync(appended[^1]);
            Assert.True(wal.CommittedUntilAddress > appended[^1]);
        }

        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            var records = await ReadAllAsync(wal);
            Assert.Equal(appended, records.Select(r => r.Address));
            for (int i = 0; i < records.Count; i++)
            {
                Assert.Equal(i, CheckRecord(records[i].Data));
            }
            Assert.Equal(wal.CommittedUntilAddress, wal.TailAddress);
        }
    }

    [Fact]
    public async Task ConcurrentAppenders_AllRecordsDurableAndPresentExactlyOnceAfterReopen()
    {
        using var dir = new TempDirectory();
        const int Writers = 4, PerWriter = 10_000;
        var addresses = new long[Writers * PerWriter];
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    long sequence = (long)w * PerWriter + i;
                    addresses[sequence] = wal.Append(MakeRecord(sequence));
                    if (i % 100 == 99)
                    {
                        await wal.WaitForDurableAsync(addresses[sequence]);
                    }
                }
                await wal.WaitForDurableAsync(addresses[(long)w * PerWriter + PerWriter - 1]);
            })));
            Assert.True(wal.CommittedUntilAddress > addresses.Max());
        }

        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            var records = await ReadAllAsync(wal);
            Assert.Equal(addresses.Length, records.Count);
            var seen = new bool[addresses.Length];
            foreach ((long address, byte[] data) in records)
            {
                long sequence = CheckRecord(data);
                Assert.False(seen[sequence], $"record {sequence} appears twice");
                seen[sequence] = true;
                Assert.Equal(addresses[sequence], address);
            }
        }
    }

    [Fact]
    public async Task GroupCommit_ManyConcurrentAppends_ShareFewCommits()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path) with { CommitInterval = TimeSpan.FromMilliseconds(5) });
        const int Writers = 4, PerWriter = 2_500;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                long address = wal.Append(MakeRecord((long)w * PerWriter + i));
                await wal.WaitForDurableAsync(address); // every record acknowledged one by one
            }
        })));
        // 10k acknowledged appends; each commit round serves every writer waiting on it.
        Assert.True(wal.CommitCount < 10_000 / 3, $"{wal.CommitCount} commits for 10k appends");
        Assert.True(wal.CommitCount >= 1);
    }

    [Fact]
    public async Task WaitForDurable_WithLongInterval_StaysPendingUntilTheIntervalCommits()
    {
        using var dir = new TempDirectory();
        // Long enough that a loaded CI machine does not run past it before the first check.
        var interval = TimeSpan.FromSeconds(3);
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path) with { CommitInterval = interval, CommitBytes = long.MaxValue });
        var clock = Stopwatch.StartNew();
        long address = wal.Append(MakeRecord(1));
        Task durable = wal.WaitForDurableAsync(address).AsTask();

        await Task.Delay(200);
        bool completedEarly = durable.IsCompleted, committedEarly = wal.CommitCount != 0 || wal.CommittedUntilAddress > address;
        var checkedAt = clock.Elapsed;
        if (checkedAt < interval)
        {
            Assert.False(completedEarly, $"durable at {checkedAt}, before the {interval} interval");
            Assert.False(committedEarly, $"committed at {checkedAt}, before the {interval} interval");
        }

        await durable.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed >= interval - TimeSpan.FromMilliseconds(50), $"completed after {clock.Elapsed}");
        Assert.True(wal.CommittedUntilAddress > address);
        Assert.Equal(1, wal.CommitCount);
    }

    [Fact]
    public async Task CommitBytes_ReachedBeforeTheInterval_CommitsEarly()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path) with { CommitInterval = TimeSpan.FromMinutes(5), CommitBytes = 4096 });
        long first = wal.Append(new byte[128]);
        for (int i = 1; i < 64; i++)
        {
            wal.Append(new byte[128]); // ~8.7 KB in all: the threshold is crossed at least once
        }
        // The first commit starts once 4 KiB are pending and covers the first record; a remainder
        // below the threshold would rightly wait for the (5 minute) interval.
        await wal.WaitForDurableAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(wal.CommittedUntilAddress > first);
        Assert.True(wal.CommittedUntilAddress - first >= 4096 - 136);
    }

    [Fact]
    public async Task WaitForDurable_Cancelled_ThrowsWithoutAffectingTheCommit()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path) with { CommitInterval = TimeSpan.FromMilliseconds(500), CommitBytes = long.MaxValue });
        long address = wal.Append(MakeRecord(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wal.WaitForDurableAsync(address, cancel.Token).AsTask());
        await wal.WaitForDurableAsync(address).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TryAppend_RecordLargerThanAPage_ReturnsRecordTooLarge()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        Assert.Equal(WalAppendStatus.RecordTooLarge, wal.TryAppend(new byte[wal.MaxRecordLength + 1], out _));
        Assert.Equal(WalAppendStatus.Appended, wal.TryAppend(new byte[wal.MaxRecordLength], out long address));
        await wal.WaitForDurableAsync(address);
        var records = await ReadAllAsync(wal);
        Assert.Equal(wal.MaxRecordLength, Assert.Single(records).Data.Length);
    }

    [Fact]
    public void Open_DirectoryBelowARegularFile_ThrowsWalUnavailableWithThePath()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        string walDirectory = Path.Combine(file, "wal");

        var error = Assert.Throws<WalUnavailableException>(() => WriteAheadLog.Open(SmallOptions(walDirectory)));
        Assert.Equal(walDirectory, error.Path);
        Assert.Contains(walDirectory, error.Message);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public async Task AppendsAfterDispose_ReturnUnavailable()
    {
        using var dir = new TempDirectory();
        WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        await wal.DisposeAsync();
        Assert.Equal(WalAppendStatus.Unavailable, wal.TryAppend(MakeRecord(1), out _));
    }
}
