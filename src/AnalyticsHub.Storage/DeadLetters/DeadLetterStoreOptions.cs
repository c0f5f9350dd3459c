namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>Settings of a <see cref="DeadLetterStore"/>.</summary>
public sealed record DeadLetterStoreOptions
{
    /// <summary>The SQLite database file (normally <c>{Hub:DataDir}/dlq/dead-letters.db</c>);
    /// its directory is created when missing. SQLite keeps <c>-wal</c>/<c>-shm</c> files beside it.</summary>
    public required string Path { get; init; }

    /// <summary>Upper bound on the stored bytes (event bytes + text + a per-row overhead estimate;
    /// default 256 MiB). The oldest letters are evicted beyond it.</summary>
    public long MaxBytes { get; init; } = 256L << 20;

    /// <summary>Upper bound on the number of stored letters (default 1,000,000). The oldest
    /// letters are evicted beyond it.</summary>
    public long MaxEntries { get; init; } = 1_000_000;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEntries, 1);
    }
}
