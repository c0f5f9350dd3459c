using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AnalyticsHub.Storage.Wal.Internal;

/// <summary>
/// A reader checkpoint on disk: one small file per reader, replaced atomically
/// (write temp file, fsync, rename over the old one, fsync the directory).
/// <code>
///  0        8                16               24
///  +--------+----------------+----------------+
///  | magic  | address (i64)  | ~address (i64) |   little-endian, 24 bytes
///  +--------+----------------+----------------+
/// </code>
/// The complemented copy catches a damaged file; rename makes a torn file impossible.
/// </summary>
internal static class CheckpointFile
{
    internal const int Size = 24;
    internal const string Extension = ".ckpt";
    private const ulong Magic = 0x31504B434C415748; // "HWALCKP1"

    internal static void Write(string path, long address)
    {
        Span<byte> buffer = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[8..], address);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[16..], ~address);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(buffer);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        FsyncDirectory(System.IO.Path.GetDirectoryName(path)!);
    }

    internal static long Read(string path)
    {
        Span<byte> buffer = stackalloc byte[Size];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        stream.ReadExactly(buffer);
        long address = BinaryPrimitives.ReadInt64LittleEndian(buffer[8..]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(buffer) != Magic
            || BinaryPrimitives.ReadInt64LittleEndian(buffer[16..]) != ~address
            || address < 0)
        {
            throw new InvalidDataException($"Reader checkpoint '{path}' is damaged.");
        }
        return address;
    }

    /// <summary>Makes a rename durable: on Linux the directory entry needs its own fsync
    /// (.NET cannot open a directory as a file, hence libc).</summary>
    internal static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        int fd = NativeMethods.Open(directory, NativeMethods.ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"open('{directory}') failed: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync('{directory}') failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }
}
