using System.Buffers.Binary;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// The WAL's reader checkpoints on disk (<c>{DataDir}/wal/readers/NAME.ckpt</c>: magic, address,
/// ~address; 24 bytes little-endian), read independently of the WAL code, for rewinding a
/// checkpoint and for failure messages.
/// </summary>
internal static class WalReaderCheckpoints
{
    public static string PathOf(string dataDir, string reader) => Path.Combine(dataDir, "wal", "readers", reader + ".ckpt");

    /// <summary>The address in a checkpoint file's bytes, checked as the WAL checks it.</summary>
    public static long Address(byte[] file)
    {
        Assert.Equal(24, file.Length);
        long address = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(8));
        Assert.Equal(~address, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(16)));
        return address;
    }

    /// <summary>"reader=address, ..." for every checkpoint file, for messages.</summary>
    public static string Describe(string dataDir)
    {
        try
        {
            var directory = Path.Combine(dataDir, "wal", "readers");
            return string.Join(", ", Directory.EnumerateFiles(directory, "*.ckpt").Order().Select(path =>
            {
                var bytes = File.ReadAllBytes(path);
                string address = bytes.Length == 24 ? BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : $"({bytes.Length} bytes)";
                return $"{Path.GetFileNameWithoutExtension(path)}={address}";
            }));
        }
        catch (IOException e)
        {
            return "(no checkpoints: " + e.Message + ")";
        }
    }
}
