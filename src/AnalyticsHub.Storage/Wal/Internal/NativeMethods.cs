using System.Runtime.InteropServices;

namespace AnalyticsHub.Storage.Wal.Internal;

/// <summary>The few libc calls .NET does not expose: fsync of a directory (Linux).</summary>
internal static partial class NativeMethods
{
    internal const int ORdOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
