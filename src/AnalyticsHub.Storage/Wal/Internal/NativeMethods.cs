using System.Runtime.InteropServices;

namespace AnalyticsHub.Storage.Wal.Internal;

/// <summary>The few libc calls .NET does not expose: fsync of a directory, open with O_DIRECT (Linux).</summary>
internal static partial class NativeMethods
{
    internal const int ORdOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    /// <summary>open(2) with a creation mode (the WAL's segment files: flags .NET cannot pass, O_DIRECT).</summary>
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
