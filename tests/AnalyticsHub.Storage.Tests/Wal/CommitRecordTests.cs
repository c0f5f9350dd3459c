using System.Diagnostics;
using AnalyticsHub.Storage.Wal;
using static AnalyticsHub.Storage.Tests.Wal.WalTestKit;

namespace AnalyticsHub.Storage.Tests.Wal;

/// <summary>
/// The WAL's commit records (commits/commit.N): a damaged or missing record is detected and
/// never turns into a silently empty log, and a record that cannot be written stops
/// acknowledgements instead of acknowledging what is not durable.
/// </summary>
public sealed class CommitRecordTests
{
    [Fact]
    public async Task DamagedNewestCommit_RecoversFromThePreviousOne()
    {
        using var dir = new TempDirectory();
        long firstEnd;
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            long last = 0;
            for (long i = 0; i < 100; i++)
            {
                last = wal.Append(MakeRecord(i));
            }
            await wal.WaitForDurableAsync(last);
            firstEnd = wal.CommittedUntilAddress;
            for (long i = 100; i < 200; i++)
            {
                last = wal.Append(MakeRecord(i));
            }
            await wal.WaitForDurableAsync(last);
        }

        string[] commits = CommitFiles(dir.Path);
        Assert.True(commits.Length is >= 1 and <= 2, "commit files kept: " + string.Join(", ", commits));
        if (commits.Length < 2)
        {
            return; // the close folded both commits into one: nothing older to fall back to
        }
        Corrupt(commits[0]);

        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            Assert.True(wal.CommittedUntilAddress >= firstEnd, $"recovered until {wal.CommittedUntilAddress}, the older commit reached {firstEnd}");
            var records = await ReadAllAsync(wal);
            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => CheckRecord(r.Data)));
            Assert.True(records.Count >= 100);
        }
    }

    [Fact]
    public async Task EveryCommitDamaged_OpenFailsLoudly_InsteadOfStartingEmpty()
    {
        using var dir = new TempDirectory();
        await using (WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path)))
        {
            await wal.WaitForDurableAsync(wal.Append(MakeRecord(1)));
        }

        foreach (string commit in CommitFiles(dir.Path))
        {
            Corrupt(commit);
        }

        var e = Assert.Throws<WalUnavailableException>(() => WriteAheadLog.Open(SmallOptions(dir.Path)));
        Assert.Contains("commit record", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "commits"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CommitsOfAnotherLayout_OpenFailsLoudly()
    {
        using var dir = new TempDirectory();
        // FASTER's own commit manager keeps commits/log-commits/commit.N.
        Directory.CreateDirectory(Path.Combine(dir.Path, "commits", "log-commits"));
        File.WriteAllBytes(Path.Combine(dir.Path, "commits", "log-commits", "commit.1.0"), new byte[64]);

        var e = Assert.Throws<WalUnavailableException>(() => WriteAheadLog.Open(SmallOptions(dir.Path)));
        Assert.Contains("another version", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitRecordCannotBeWritten_NothingMoreIsAcknowledged_AndTheLogFaults()
    {
        using var dir = new TempDirectory();
        string commitDir = Path.Combine(dir.Path, "commits");
        await using WriteAheadLog wal = WriteAheadLog.Open(SmallOptions(dir.Path));
        await wal.WaitForDurableAsync(wal.Append(MakeRecord(0)));
        long durable = wal.CommittedUntilAddress;

        // The immutable flag stops even root from creating files in the directory.
        if (!Chattr("+i", commitDir))
        {
            return; // a file system without attributes (tmpfs): covered by the hub's full-disk test
        }
        try
        {
            long address = wal.Append(MakeRecord(1));
            var e = await Assert.ThrowsAsync<WalUnavailableException>(async () => await wal.WaitForDurableAsync(address));
            Assert.Contains("commit record could not be written", e.Message, StringComparison.Ordinal);
            Assert.Equal(durable, wal.CommittedUntilAddress);
            Assert.Equal(WalAppendStatus.Unavailable, wal.TryAppend(MakeRecord(2), out _));
        }
        finally
        {
            Chattr("-i", commitDir);
        }
    }

    private static string[] CommitFiles(string walDirectory) =>
        Directory.GetFiles(Path.Combine(walDirectory, "commits"), "commit.*")
            .OrderByDescending(p => long.Parse(Path.GetFileName(p)["commit.".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    private static void Corrupt(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
