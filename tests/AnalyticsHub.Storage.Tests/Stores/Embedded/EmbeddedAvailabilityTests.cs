using System.Diagnostics;
using System.Runtime.Versioning;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

[UnsupportedOSPlatform("windows")] // the permission tests use Unix file modes and chattr
public sealed class EmbeddedAvailabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Initialize_MissingDirectories_AreCreated()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "data", "store", "events.db");

        await using EmbeddedEventStore store = await OpenAsync(new EmbeddedStoreOptions { DatabasePath = path });

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Initialize_DirectoryCannotBeCreated_ThrowsUnavailableNamingPathAndStep()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        string path = Path.Combine(file, "store", "events.db");

        await using var store = new EmbeddedEventStore(new EmbeddedStoreOptions { DatabasePath = path });
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("creating its directory", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
    }

    [Fact]
    public async Task Initialize_PathIsADirectory_ThrowsUnavailableCannotOpen()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "events.db");
        Directory.CreateDirectory(path);

        await using var store = new EmbeddedEventStore(new EmbeddedStoreOptions { DatabasePath = path });
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        output.WriteLine(e.Message);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open the database file", e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
    }

    [Fact]
    public async Task Initialize_FileThatIsNotADatabase_ThrowsUnavailableNotRejected()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "events.db");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 1))]);

        await using var store = new EmbeddedEventStore(new EmbeddedStoreOptions { DatabasePath = path });
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        output.WriteLine(e.Message);
        Assert.Contains("not an intact SQLite database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_ReadOnlyDirectory_ThrowsUnavailable()
    {
        using var dir = new TempDirectory();
        string readOnly = Path.Combine(dir.Path, "read-only");
        Directory.CreateDirectory(readOnly);
        string path = Path.Combine(readOnly, "events.db");
        try
        {
            if (!TryMakeReadOnly(readOnly, isDirectory: true))
            {
                output.WriteLine($"skipped: {Environment.UserName} can write in a 0500 directory and chattr +i is not available");
                return;
            }

            await using var store = new EmbeddedEventStore(new EmbeddedStoreOptions { DatabasePath = path });
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

            output.WriteLine(e.Message);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("cannot open the database file", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            MakeWritable(readOnly, isDirectory: true);
        }
    }

    [Fact]
    public async Task Initialize_ReadOnlyDatabaseFile_ThrowsUnavailableAtInitializeNotAtFirstWrite()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        await (await OpenAsync(options)).DisposeAsync();
        try
        {
            if (!TryMakeReadOnly(options.DatabasePath, isDirectory: false))
            {
                output.WriteLine($"skipped: {Environment.UserName} can write a 0400 file and chattr +i is not available");
                return;
            }

            await using var store = new EmbeddedEventStore(options);
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

            output.WriteLine(e.Message);
            Assert.Contains(options.DatabasePath, e.Message, StringComparison.Ordinal);
            Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            MakeWritable(options.DatabasePath, isDirectory: false);
        }
    }

    // SQLITE_FULL for real: the writer connection's max_page_count stands in for the disk's end.
    [Fact]
    public async Task WriteAsync_DiskFull_ThrowsUnavailableSayingSoAndStoresNothing()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        using StoredEventBatch first = StoredEventSamples.Batch(10, 10);
        using StoredEventBatch second = StoredEventSamples.Batch(1_000, 10, firstAddress: first.NextAddress);
        await using EmbeddedEventStore store = await OpenAsync(options);
        await WriteAllAsync(store, first);
        await store.RunOnWriterAsync(c => Scalar(c, $"PRAGMA max_page_count = {(long)Scalar(c, "PRAGMA page_count")! + 20}"));

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => WriteAllAsync(store, second));

        output.WriteLine(e.Message);
        Assert.Contains("disk", e.Message, StringComparison.Ordinal);
        Assert.Contains("full", e.Message, StringComparison.Ordinal);
        Assert.Contains("writing 10000 events", e.Message, StringComparison.Ordinal);
        Assert.Equal(first.Count, Count(options.DatabasePath));
        Assert.Equal(new StorePosition(first.NextAddress, 0), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);

        // Space again: the retry (the drainer's) stores everything.
        await store.RunOnWriterAsync(c => Scalar(c, "PRAGMA max_page_count = 4294967294"));
        await WriteAllAsync(store, second);
        Assert.Equal(first.Count + second.Count, Count(options.DatabasePath));
    }

    [Fact]
    public async Task WriteAsync_DatabaseLockedLongerThanBusyTimeout_ThrowsUnavailableThenRecovers()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path) with { BusyTimeout = TimeSpan.FromMilliseconds(200) };
        using StoredEventBatch batch = StoredEventSamples.Batch(10, 10);
        await using EmbeddedEventStore store = await OpenAsync(options);

        using (SqliteConnection other = Connect(options.DatabasePath))
        {
            Execute(other, "BEGIN IMMEDIATE"); // e.g. an operator's sqlite3 shell in a write transaction
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => WriteAllAsync(store, batch));
            clock.Stop();

            output.WriteLine($"{clock.ElapsedMilliseconds} ms: {e.Message}");
            Assert.Contains("locked", e.Message, StringComparison.Ordinal);
            Assert.InRange(clock.ElapsedMilliseconds, 150, 10_000);
            Execute(other, "ROLLBACK");
        }

        await WriteAllAsync(store, batch);
        Assert.Equal(batch.Count, Count(options.DatabasePath));
    }

    [Fact]
    public async Task ProbeAsync_OpenStore_ReachableWithVersion()
    {
        using var dir = new TempDirectory();
        await using EmbeddedEventStore store = await OpenAsync(Options(dir.Path));

        StoreProbe probe = await store.ProbeAsync(CancellationToken.None);

        Assert.True(probe.Reachable, probe.Error);
        Assert.Equal(store.SqliteVersion, probe.ServerVersion);
        Assert.Matches(@"^3\.\d+\.\d+$", probe.ServerVersion);
    }

    [Fact]
    public async Task ProbeAsync_WhileAWriteHoldsTheWriter_AnswersWithoutWaiting()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path) with { BusyTimeout = TimeSpan.FromSeconds(3) };
        using StoredEventBatch batch = StoredEventSamples.Batch(10, 10);
        await using EmbeddedEventStore store = await OpenAsync(options);
        using SqliteConnection other = Connect(options.DatabasePath);
        Execute(other, "BEGIN IMMEDIATE");
        Task write = WriteAllAsync(store, batch); // waits for the lock on the writer thread

        var clock = Stopwatch.StartNew();
        StoreProbe probe = await store.ProbeAsync(CancellationToken.None);
        clock.Stop();

        Assert.True(probe.Reachable, probe.Error);
        Assert.False(write.IsCompleted);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 1_000);
        Execute(other, "ROLLBACK");
        await write;
    }

    [Fact]
    public async Task ProbeAsync_FileGone_NotReachableWithReason()
    {
        using var dir = new TempDirectory();
        await using var store = new EmbeddedEventStore(Options(dir.Path)); // never initialised: no file

        StoreProbe probe = await store.ProbeAsync(CancellationToken.None);

        Assert.False(probe.Reachable);
        output.WriteLine(probe.Error);
        Assert.Contains("events.db", probe.Error, StringComparison.Ordinal);
    }
}
