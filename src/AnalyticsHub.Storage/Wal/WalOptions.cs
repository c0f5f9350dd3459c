namespace AnalyticsHub.Storage.Wal;

/// <summary>
/// Settings of a <see cref="WriteAheadLog"/>. Defaults suit one ingest node at ~1M events/s;
/// tests shrink the sizes.
/// </summary>
public sealed record WalOptions
{
    /// <summary>Directory that holds the log segments, commit metadata and reader checkpoints
    /// (normally <c>{Hub:DataDir}/wal</c>). Created when missing.</summary>
    public required string Directory { get; init; }

    /// <summary>log2 of a segment file's size (default 28: 256 MiB). Truncation frees whole segments.</summary>
    public int SegmentSizeBits { get; init; } = 28;

    /// <summary>log2 of an in-memory page (default 22: 4 MiB). A record must fit in one page.</summary>
    public int PageSizeBits { get; init; } = 22;

    /// <summary>log2 of the in-memory tail buffer (default 25: 32 MiB). At least two pages.</summary>
    public int MemorySizeBits { get; init; } = 25;

    /// <summary>Longest time a record waits for its commit (fsync) after the first uncommitted
    /// append (default 2 ms).</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Commit early once this many bytes are uncommitted (default 1 MiB);
    /// <see cref="long.MaxValue"/> disables the threshold.</summary>
    public long CommitBytes { get; init; } = 1L << 20;

    /// <summary>Appends fail with <see cref="WalAppendStatus.OverBacklog"/> once the log retains
    /// this many bytes (begin to tail; truncation behind reader checkpoints frees them). Default 1 GiB.</summary>
    public long MaxBacklogBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Write log segments with <c>O_DIRECT</c> on Linux (default true): no copy through the page cache
    /// (<c>Internal/DirectLogDevice</c>); a file system without it falls back to buffered writes by
    /// itself. False, or another OS: FASTER's managed device (buffered, <c>O_SYNC</c>).
    /// </summary>
    public bool DirectIo { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSizeBits, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(MemorySizeBits, PageSizeBits + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentSizeBits, PageSizeBits);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CommitInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(CommitBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBacklogBytes, 1);
    }
}
