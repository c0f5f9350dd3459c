using System.Runtime.InteropServices;
using AnalyticsHub.Storage.Wal;
using AnalyticsHub.Storage.Wal.Internal;
using static AnalyticsHub.Storage.Tests.Wal.WalTestKit;

namespace AnalyticsHub.Storage.Tests.Wal;

/// <summary>
/// The WAL's O_DIRECT log device: what it writes reads back byte for byte (through its buffered read handle), the
/// segment files really are open with O_DIRECT, an unaligned write falls back to buffered writes instead of failing,
/// and a reopened device reports the segments on disk as FASTER's own devices do. The WAL's other tests run on it too
/// (it is the default on Linux); one round trip here covers the FASTER device kept for <c>DirectIo = false</c>.
/// </summary>
public sealed class DirectLogDeviceTests
{
    private const int ODirectX64 = 0x4000;

    [LinuxFact]
    public async Task AlignedWrite_GoesDirect_AndReadsBackExactly()
    {
        using var dir = new TempDirectory();
        using var device = new DirectLogDevice(Path.Combine(dir.Path, "wal.log"));
        using var page = new AlignedBuffer(64 * 1024, 4096);
        new Random(3).NextBytes(page.Span);

        await WriteAsync(device, segment: 0, offset: 8192, page.Pointer, page.Length);
        using var back = new AlignedBuffer(page.Length, 4096);
        uint read = await ReadAsync(device, segment: 0, offset: 8192, back.Pointer, back.Length);

        Assert.Equal((uint)page.Length, read);
        Assert.True(page.Span.SequenceEqual(back.Span));
        Assert.Equal(1, device.DirectSegments);
        Assert.Equal(0, device.BufferedFallbacks);
        Assert.True(OpenFlagsOf(Path.Combine(dir.Path, "wal.log.0")).Any(flags => (flags & ODirectFlag) != 0),
            "no descriptor of the segment has O_DIRECT");
    }

    [LinuxFact]
    public async Task UnalignedWrite_FallsBackToBufferedWrites_AndStaysCorrect()
    {
        using var dir = new TempDirectory();
        using var device = new DirectLogDevice(Path.Combine(dir.Path, "wal.log"));
        using var buffer = new AlignedBuffer(4096 + 1, 4096);
        new Random(4).NextBytes(buffer.Span);

        // From one byte past an aligned address, 1,000 bytes at offset 100: O_DIRECT refuses all three.
        await WriteAsync(device, segment: 2, offset: 100, buffer.Pointer + 1, 1000);
        using var back = new AlignedBuffer(1000, 4096);
        uint read = await ReadAsync(device, segment: 2, offset: 100, back.Pointer, 1000);

        Assert.Equal(1000u, read);
        Assert.True(buffer.Span.Slice(1, 1000).SequenceEqual(back.Span));
        Assert.Equal(1, device.BufferedFallbacks);
    }

    [LinuxFact]
    public void Reopened_ReportsTheSegmentsOnDisk()
    {
        using var dir = new TempDirectory();
        foreach (int segment in new[] { 3, 4, 5 })
        {
            File.WriteAllBytes(Path.Combine(dir.Path, $"wal.log.{segment}"), new byte[512]);
        }

        File.WriteAllBytes(Path.Combine(dir.Path, "wal.log.tmp"), []); // not a segment

        using var device = new DirectLogDevice(Path.Combine(dir.Path, "wal.log"));

        Assert.Equal(3, device.StartSegment);
        Assert.Equal(5, device.EndSegment);
        Assert.Equal(512, device.GetFileSize(4));
        Assert.Equal(0, device.GetFileSize(9));
    }

    [Fact]
    public async Task Wal_WithDirectIoOff_UsesTheFasterDevice_AndRoundTrips()
    {
        using var dir = new TempDirectory();
        var options = SmallOptions(dir.Path) with { DirectIo = false };
        var appended = new List<long>();
        await using (WriteAheadLog wal = WriteAheadLog.Open(options))
        {
            for (int i = 0; i < 200; i++)
            {
                appended.Add(wal.Append(MakeRecord(i)));
            }

            await wal.WaitForDurableAsync(appended[^1]);
        }

        await using (WriteAheadLog wal = WriteAheadLog.Open(options))
        {
            var records = await ReadAllAsync(wal);
            Assert.Equal(appended, records.Select(r => r.Address));
        }

        Assert.DoesNotContain(OpenFlagsOf(Path.Combine(dir.Path, "log", "wal.log.0")), flags => (flags & ODirectFlag) != 0);
    }

    private static int ODirectFlag => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 ? 0x10000 : ODirectX64;

    private static Task WriteAsync(DirectLogDevice device, int segment, ulong offset, IntPtr source, int length)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.WriteAsync(source, segment, offset, (uint)length, (error, _, _) =>
        {
            if (error == 0)
            {
                done.SetResult();
            }
            else
            {
                done.SetException(new IOException($"write failed: errno {error}"));
            }
        }, null!);
        return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static Task<uint> ReadAsync(DirectLogDevice device, int segment, ulong offset, IntPtr into, int length)
    {
        var done = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.ReadAsync(segment, offset, into, (uint)length, (error, bytes, _) =>
        {
            if (error == 0)
            {
                done.SetResult(bytes);
            }
            else
            {
                done.SetException(new IOException($"read failed: errno {error}"));
            }
        }, null!);
        return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>The open-file flags (octal in /proc) of every descriptor of this process open on <paramref name="path"/>.</summary>
    private static List<int> OpenFlagsOf(string path)
    {
        var flags = new List<int>();
        if (!Directory.Exists("/proc/self/fd"))
        {
            return flags;
        }

        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            if (target != path)
            {
                continue;
            }

            foreach (string line in File.ReadLines($"/proc/self/fdinfo/{Path.GetFileName(fd)}"))
            {
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                {
                    flags.Add(Convert.ToInt32(line["flags:".Length..].Trim(), 8));
                }
            }
        }

        return flags;
    }

    /// <summary>A fact about the O_DIRECT device: skipped (saying why) where <c>open(2)</c> has no O_DIRECT.</summary>
    private sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!DirectLogDevice.IsSupported)
            {
                Skip = "O_DIRECT is Linux-only; elsewhere the WAL uses FASTER's device";
            }
        }
    }

    /// <summary>Native memory aligned as O_DIRECT needs (FASTER's pages are; a managed array is not).</summary>
    private sealed unsafe class AlignedBuffer(int length, int alignment) : IDisposable
    {
        private readonly byte* _memory = (byte*)NativeMemory.AlignedAlloc((nuint)length, (nuint)alignment);

        public int Length => length;

        public IntPtr Pointer => (IntPtr)_memory;

        public Span<byte> Span => new(_memory, length);

        public void Dispose() => NativeMemory.AlignedFree(_memory);
    }
}
