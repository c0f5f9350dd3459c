using System.Runtime.Versioning;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Tests.Wal;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.DeadLetters.DeadLetterTestKit;

namespace AnalyticsHub.Storage.Tests.DeadLetters;

[UnsupportedOSPlatform("windows")] // the permission tests use Unix file modes
public sealed class DeadLetterAvailabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Open_MissingDirectories_AreCreated()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "a", "b", "dead-letters.db");

        using DeadLetterStore store = DeadLetterStore.Open(new DeadLetterStoreOptions { Path = path });

        Assert.True(File.Exists(path));
        Assert.Equal(Path.GetFullPath(path), store.Path);
    }

    [Fact]
    public void Open_PathUnderARegularFile_ThrowsUnavailableNamingThePath()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        string path = Path.Combine(file, "dead-letters.db");

        var e = Assert.Throws<DeadLetterStoreUnavailableException>(() => DeadLetterStore.Open(new DeadLetterStoreOptions { Path = path }));

        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("directory", e.Reason, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException);
    }

    [Fact]
    public void Open_FileThatIsNotADatabase_ThrowsUnavailable()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "dead-letters.db");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 1))]);

        var e = Assert.Throws<DeadLetterStoreUnavailableException>(() => DeadLetterStore.Open(new DeadLetterStoreOptions { Path = path }));

        Assert.Equal(path, e.Path);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(e.InnerException);
    }

    [Fact]
    public void Open_ReadOnlyDirectory_ThrowsUnavailableNamingThePath()
    {
        using var dir = new TempDirectory();
        string readOnly = Path.Combine(dir.Path, "read-only");
        Directory.CreateDirectory(readOnly);
        string path = Path.Combine(readOnly, "dead-letters.db");
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            if (CanWriteIn(readOnly))
            {
                // Root (as in CI here) ignores directory permissions: no failure to observe.
                // The path-under-a-file test covers the failure path in that case.
                output.WriteLine($"skipped the read-only assertion: this user can write in a 0500 directory ({Environment.UserName})");
                return;
            }

            var e = Assert.Throws<DeadLetterStoreUnavailableException>(() => DeadLetterStore.Open(new DeadLetterStoreOptions { Path = path }));

            Assert.Equal(path, e.Path);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Open_ReadOnlyDatabaseFile_ThrowsUnavailableAtOpenNotAtFirstAdd()
    {
        using var dir = new TempDirectory();
        DeadLetterStoreOptions options = Options(dir.Path);
        using (DeadLetterStore store = DeadLetterStore.Open(options))
        {
            store.Add(Letters(0, 3));
        }
        File.SetUnixFileMode(options.Path, UnixFileMode.UserRead);
        try
        {
            if (CanWrite(options.Path))
            {
                output.WriteLine("skipped the read-only-file assertion: this user can write a 0400 file");
                return;
            }

            var e = Assert.Throws<DeadLetterStoreUnavailableException>(() => DeadLetterStore.Open(options));

            Assert.Equal(Path.GetFullPath(options.Path), e.Path);
        }
        finally
        {
            File.SetUnixFileMode(options.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void Operations_AfterDispose_ThrowObjectDisposed()
    {
        using var dir = new TempDirectory();
        DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Add(Letters(0, 1)));
        Assert.Throws<ObjectDisposedException>(() => store.List(new DeadLetterQuery()));
        Assert.Throws<ObjectDisposedException>(() => store.Get([1]));
        Assert.Throws<ObjectDisposedException>(() => store.MarkReplayed([(1, "accepted")], Epoch));
    }

    private static bool CanWriteIn(string directory)
    {
        string probe = Path.Combine(directory, ".probe");
        try
        {
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CanWrite(string file)
    {
        try
        {
            using FileStream stream = File.OpenWrite(file);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
