using AnalyticsHub.Storage.Wal;
using static AnalyticsHub.Storage.Tests.Wal.WalTestKit;

namespace AnalyticsHub.Storage.Tests.Wal;

public sealed class WalReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<long[]> AppendDurableAsync(WriteAheadLog wal, long first, int count)
    {
        var addresses = new long[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = wal.Append(MakeRecord(first + i));
        }
        await wal.WaitForDurableAsync(addresses[^1]);
        return addresses;
    }

    private static async Task<List<long>> ReadSequencesAsync(WalReader reader, int count)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var sequences = new List<long>();
        while (sequences.Count < count)
        {
            WalBatch batch = await reader.ReadBatchAsync(Math.Min(100, count - sequences.Count), timeout.Token);
            for (int i = 0; i < batch.Count; i++)
            {
                sequences.Add(CheckRecord(batch[i].Data.Span));
            }
        }
        return sequences;
    }

    [Fact]
    public async Task Reader_CompletePersistReopen_ResumesAfterTheCheckpoint()
    {
        using var dir = new TempDirectory();
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            await AppendDurableAsync(wal, 0, 500);
            using WalReader reader = wal.OpenReader("sink");
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), await ReadSequencesAsync(reader, 300));
            reader.CompleteUntil(reader.CompletedUntilAddress); // no-op is allowed
            WalBatch last = await reader.ReadBatchAsync(1);
            reader.CompleteUntil(last.NextAddress);
            await reader.PersistCheckpointAsync();
            Assert.Equal(last.NextAddress, reader.CheckpointAddress);
        }

        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            using WalReader reader = wal.OpenReader("sink");
            Assert.Equal(Enumerable.Range(301, 199).Select(i => (long)i), await ReadSequencesAsync(reader, 199));
        }
    }

    [Fact]
    public async Task Reader_CompletedButNotPersisted_RedeliversAfterReopen()
    {
        using var dir = new TempDirectory();
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            await AppendDurableAsync(wal, 0, 100);
            using WalReader reader = wal.OpenReader("sink");
            await ReadSequencesAsync(reader, 40);
            reader.CompleteUntil((await reader.ReadBatchAsync(10)).NextAddress);
            await reader.PersistCheckpointAsync(); // checkpoint after record 49
            WalBatch more = await reader.ReadBatchAsync(30);
            reader.CompleteUntil(more.NextAddress); // completed, never persisted
        }

        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            using WalReader reader = wal.OpenReader("sink");
            Assert.Equal(Enumerable.Range(50, 50).Select(i => (long)i), await ReadSequencesAsync(reader, 50));
        }
    }

    [Fact]
    public async Task Reader_WaitsForTheNextCommit_ThenDeliversNewRecords()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        using WalReader reader = wal.OpenReader("tail");
        Task<List<long>> read = ReadSequencesAsync(reader, 10);
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        await AppendDurableAsync(wal, 0, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), await read.WaitAsync(Timeout));
    }

    [Fact]
    public async Task CompleteUntil_BeyondWhatWasRead_Throws()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        long[] addresses = await AppendDurableAsync(wal, 0, 10);
        using WalReader reader = wal.OpenReader("sink");
        WalBatch batch = await reader.ReadBatchAsync(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.CompleteUntil(addresses[6]));
        reader.CompleteUntil(batch.NextAddress);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.CompleteUntil(batch[0].Address));
        Assert.Throws<InvalidOperationException>(() => wal.OpenReader("sink"));
    }

    [Fact]
    public async Task Truncate_RefusesToPassTheSlowestPersistedCheckpoint()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        long[] addresses = await AppendDurableAsync(wal, 0, 1_000);
        using WalReader fast = wal.OpenReader("fast");
        using WalReader slow = wal.OpenReader("slow");
        await ReadSequencesAsync(fast, 900);
        fast.CompleteUntil(addresses[900]);
        await fast.PersistCheckpointAsync();
        await ReadSequencesAsync(slow, 200);
        slow.CompleteUntil(addresses[200]);
        Assert.False(wal.TruncateUntil(addresses[100]), "completed but not persisted must not allow truncation");
        await slow.PersistCheckpointAsync();

        Assert.False(wal.TruncateUntil(addresses[201]));
        Assert.False(wal.TruncateUntil(addresses[900]));
        long begin = wal.BeginAddress;
        Assert.True(begin < addresses[100]);
        Assert.True(wal.TruncateUntil(addresses[200]));
        Assert.Equal(addresses[200], wal.BeginAddress);
        Assert.Equal(addresses[200], wal.TruncateToSlowestCheckpoint());
    }

    [Fact]
    public async Task Truncate_MovesBegin_AndReopenedLogStartsThere()
    {
        using var dir = new TempDirectory();
        long[] addresses;
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            addresses = await AppendDurableAsync(wal, 0, 3_000); // spans several 64 KiB segments
            using WalReader reader = wal.OpenReader("sink");
            await ReadSequencesAsync(reader, 2_000);
            reader.CompleteUntil(addresses[2_000]);
            await reader.PersistCheckpointAsync();
            Assert.Equal(addresses[2_000], wal.TruncateToSlowestCheckpoint());
            // The new begin is persisted by the next commit; wait for it with a further record.
            long extra = wal.Append(MakeRecord(3_000));
            await wal.WaitForDurableAsync(extra);
        }
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            Assert.Equal(addresses[2_000], wal.BeginAddress);
            var records = await ReadAllAsync(wal);
            Assert.Equal(addresses.Skip(2_000), records.Take(1_000).Select(r => r.Address));
            Assert.Equal(Enumerable.Range(2_000, 1_001).Select(i => (long)i), records.Select(r => CheckRecord(r.Data)));
            using WalReader reader = wal.OpenReader("sink");
            Assert.Equal(Enumerable.Range(2_000, 10).Select(i => (long)i), await ReadSequencesAsync(reader, 10));
        }
        // The log device deletes truncated segments in the background: give it a moment on a busy machine.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.GetFiles(Path.Combine(dir.Path, "log")).Length >= 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Directory.GetFiles(Path.Combine(dir.Path, "log")).Length < 4, "segments below the begin are deleted");
    }

    [Fact]
    public async Task Truncate_WithoutNewAppends_IsPersistedByTheCommitter()
    {
        using var dir = new TempDirectory();
        long[] addresses;
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            addresses = await AppendDurableAsync(wal, 0, 100);
            Assert.True(wal.TruncateUntil(addresses[50])); // no reader: bounded by the committed address only
        }
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            Assert.Equal(addresses[50], wal.BeginAddress);
        }
    }

    [Fact]
    public async Task Backlog_OverLimit_AppendsFailUntilTheReaderCatchesUp()
    {
        using var dir = new TempDirectory();
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path) with { MaxBacklogBytes = 32 * 1024 });
        using WalReader reader = wal.OpenReader("sink");
        long sequence = 0, last = 0;
        WalAppendStatus status;
        while ((status = wal.TryAppend(MakeRecord(sequence), out long address)) == WalAppendStatus.Appended)
        {
            last = address;
            sequence++;
            Assert.True(sequence < 10_000, "backlog never reported");
        }
        Assert.Equal(WalAppendStatus.OverBacklog, status);
        Assert.True(wal.IsOverBacklog);
        Assert.True(wal.BacklogBytes >= 32 * 1024);
        Assert.Throws<InvalidOperationException>(() => wal.Append(MakeRecord(sequence)));

        await wal.WaitForDurableAsync(last);
        await ReadSequencesAsync(reader, (int)sequence);
        reader.CompleteUntil(wal.CommittedUntilAddress);
        await reader.PersistCheckpointAsync();
        Assert.True(wal.IsOverBacklog); // read is not freed: only truncation is
        Assert.Equal(wal.CommittedUntilAddress, wal.TruncateToSlowestCheckpoint());
        Assert.False(wal.IsOverBacklog);
        Assert.Equal(WalAppendStatus.Appended, wal.TryAppend(MakeRecord(sequence), out long next));
        await wal.WaitForDurableAsync(next);
    }
}
