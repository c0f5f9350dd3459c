using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace AnalyticsHub.Storage.Wal.Internal;

/// <summary>
/// The WAL's log device on Linux: segment files written with <c>O_DIRECT | O_DSYNC</c>, read through a
/// second, buffered handle. FASTER's own managed device opens segments <c>O_SYNC</c> without
/// <c>O_DIRECT</c> (.NET has no way to ask for it on Linux), so every durable write was first copied into
/// the page cache and then flushed: about 11 % of the hub's CPU at full ingest went to that copy. Direct
/// writes go from FASTER's sector-aligned pages straight to the device and are durable (data and the
/// metadata needed to read it) when <c>pwrite</c> returns, like the buffered <c>O_SYNC</c> writes were.
/// </summary>
/// <remarks>
/// <para>
/// Reads (readers behind the tail, recovery) use an ordinary buffered handle: a drainer far behind the
/// tail then reads from the page cache instead of the device. Linux keeps the two coherent: a direct
/// write invalidates cached pages of the range it writes.
/// </para>
/// <para>
/// Not every file system takes <c>O_DIRECT</c> (tmpfs refuses it with EINVAL), and a write that is not
/// aligned to the device's logical block size is refused the same way. Either falls back, for that
/// segment from then on, to a buffered <c>O_DSYNC</c> handle: the same durability, the old cost.
/// <see cref="DirectSegments"/> counts segments opened directly, <see cref="BufferedFallbacks"/> the ones
/// that fell back.
/// </para>
/// <para>
/// I/O runs on thread-pool threads (blocking <c>pwrite</c>/<c>pread</c>, as FASTER's managed device does);
/// completions report the errno to FASTER's callback. At most <c>ThrottleLimit</c> (FASTER's default) operations
/// in flight before FASTER is asked to wait.
/// </para>
/// </remarks>
internal sealed class DirectLogDevice : StorageDeviceBase
{
    // Linux x86-64 and arm64 open(2) flags.
    private const int OWriteOnly = 0x1;
    private const int OCreate = 0x40;
    private const int ODsync = 0x1000;
    private const int OCloseOnExec = 0x80000;
    private static readonly int ODirect = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 ? 0x10000 : 0x4000;
    private const int EInval = 22;
    private const int FileMode644 = 0x1A4;
    private const uint Sector = 512;

    private readonly ConcurrentDictionary<int, Segment> _segments = new();
    private int _pending;
    private long _directSegments;
    private long _bufferedFallbacks;

    /// <param name="filename">Segment files are <c>{filename}.{n}</c>.</param>
    /// <param name="direct">False: buffered <c>O_DSYNC</c> writes only (for file systems to avoid it on).</param>
    public DirectLogDevice(string filename, bool direct = true)
        : base(filename, Sector, Devices.CAPACITY_UNSPECIFIED)
    {
        Direct = direct;
        RecoverSegments();
    }

    /// <summary>Whether segments are opened with <c>O_DIRECT</c> (each may still fall back).</summary>
    public bool Direct { get; }

    /// <summary>Segments whose writes go through <c>O_DIRECT</c>.</summary>
    public long DirectSegments => Interlocked.Read(ref _directSegments);

    /// <summary>Segments that fell back to buffered writes (file system without <c>O_DIRECT</c>, or an unaligned write).</summary>
    public long BufferedFallbacks => Interlocked.Read(ref _bufferedFallbacks);

    /// <summary>True on Linux, where <c>open(2)</c> takes <c>O_DIRECT</c>.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <inheritdoc />
    public override bool Throttle() => Volatile.Read(ref _pending) > ThrottleLimit;

    /// <inheritdoc />
    public override unsafe void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite,
        DeviceIOCompletionCallback callback, object context) =>
        Submit(segmentId, callback, context, segment =>
        {
            segment.Write(new ReadOnlySpan<byte>((void*)sourceAddress, checked((int)numBytesToWrite)), (long)destinationAddress, this);
            return numBytesToWrite;
        });

    /// <inheritdoc />
    public override unsafe void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength,
        DeviceIOCompletionCallback callback, object context) =>
        Submit(segmentId, callback, context, segment =>
            (uint)RandomAccess.Read(segment.Reader, new Span<byte>((void*)destinationAddress, checked((int)readLength)), (long)sourceAddress));

    // Runs one blocking I/O on the thread pool and reports it to FASTER: bytes moved, or the errno.
    private void Submit(int segmentId, DeviceIOCompletionCallback callback, object context, Func<Segment, uint> io)
    {
        Segment segment;
        try
        {
            segment = SegmentOf(segmentId);
        }
        catch (IOException e)
        {
            callback(ErrorOf(e), 0, context);
            return;
        }

        Interlocked.Increment(ref _pending);
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            uint error = 0, bytes = 0;
            try
            {
                bytes = io(segment);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                error = ErrorOf(e);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }

            callback(error, bytes, context);
        }, null);
    }

    /// <inheritdoc />
    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result)
    {
        if (_segments.TryRemove(segment, out var removed))
        {
            removed.Dispose();
        }

        try
        {
            File.Delete(SegmentName(segment));
        }
        catch (IOException)
        {
            // Left behind: recovery skips segments before the log's begin address.
        }

        callback(result);
    }

    /// <inheritdoc />
    public override long GetFileSize(int segment)
    {
        var file = new FileInfo(SegmentName(segment));
        return file.Exists ? file.Length : 0;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var segment in _segments.Values)
        {
            segment.Dispose();
        }

        _segments.Clear();
    }

    private string SegmentName(int segment) => FileName + "." + segment;

    private Segment SegmentOf(int id) => _segments.GetOrAdd(id, static (id, device) => device.Open(id), this);

    private Segment Open(int id)
    {
        string name = SegmentName(id);
        SafeFileHandle? writer = Direct ? TryOpen(name, ODirect) : null;
        bool direct = writer is not null;
        writer ??= TryOpen(name, 0) ?? throw new IOException($"Cannot open WAL segment {name}: errno {Marshal.GetLastPInvokeError()}.");
        if (direct)
        {
            Interlocked.Increment(ref _directSegments);
        }
        else
        {
            Interlocked.Increment(ref _bufferedFallbacks);
        }

        try
        {
            var reader = File.OpenHandle(name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new Segment(name, writer, reader, direct);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private static SafeFileHandle? TryOpen(string path, int extraFlags)
    {
        int fd = NativeMethods.Open(path, OWriteOnly | OCreate | ODsync | OCloseOnExec | extraFlags, FileMode644);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : null;
    }

    internal void CountFallback() => Interlocked.Increment(ref _bufferedFallbacks);

    private static uint ErrorOf(Exception e) => e.HResult is > 0 and < 4096 ? (uint)e.HResult : 5; // EIO otherwise

    // FASTER learns the segments that exist from the device, as its own devices do with recoverDevice
    // (the same rule as theirs, so recovery sees the same segment range).
    private void RecoverSegments()
    {
        var file = new FileInfo(FileName);
        var directory = file.Directory;
        if (directory is null || !directory.Exists)
        {
            return;
        }

        var ids = new List<int>();
        string prefix = file.Name + ".";
        foreach (var item in directory.EnumerateFiles(prefix + "*"))
        {
            if (int.TryParse(item.Name.AsSpan(prefix.Length), out int id) && id >= 0)
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        int previous = -1;
        foreach (int id in ids)
        {
            if (id != previous + 1)
            {
                startSegment = id;
            }
            else
            {
                endSegment = id;
            }

            previous = id;
        }
    }

    /// <summary>One segment file: its write handle (direct or not) and a buffered read handle.</summary>
    private sealed class Segment(string name, SafeFileHandle writer, SafeFileHandle reader, bool direct) : IDisposable
    {
        private readonly Lock _reopen = new();
        private readonly SafeFileHandle _first = writer; // kept until disposal: a write may still be using it
        private SafeFileHandle _writer = writer;
        private bool _direct = direct;

        public SafeFileHandle Reader { get; } = reader;

        public void Write(ReadOnlySpan<byte> bytes, long offset, DirectLogDevice device)
        {
            var handle = Volatile.Read(ref _writer);
            try
            {
                RandomAccess.Write(handle, bytes, offset);
            }
            catch (IOException e) when (_direct && e.HResult == EInval)
            {
                // Not aligned to this device's logical block size: this segment writes buffered from now on.
                RandomAccess.Write(FallBack(device), bytes, offset);
            }
        }

        private SafeFileHandle FallBack(DirectLogDevice device)
        {
            lock (_reopen)
            {
                if (_direct)
                {
                    _writer = TryOpen(name, 0) ?? throw new IOException($"Cannot reopen WAL segment {name}: errno {Marshal.GetLastPInvokeError()}.");
                    _direct = false;
                    device.CountFallback();
                }

                return _writer;
            }
        }

        public void Dispose()
        {
            _writer.Dispose();
            _first.Dispose();
            Reader.Dispose();
        }
    }
}
