namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>Settings of the <see cref="EmbeddedEventStore"/> (<c>Hub:Storage:Kind=embedded</c>, the default).</summary>
public sealed record EmbeddedStoreOptions
{
    /// <summary>The SQLite database file, normally <c>{Hub:DataDir}/store/events.db</c>. Its
    /// directory is created when missing; SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>Days of events to keep (by event time); 0 keeps everything. Default 30
    /// (<c>Hub:Storage:RetentionDays</c>). The store does not schedule retention itself: the
    /// drainer passes the cutoff to <see cref="IEventStore.DeleteOlderThanAsync"/>.</summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>How long a statement waits for a lock another connection or process holds
    /// (SQLite's busy timeout) before the call fails with <see cref="StoreUnavailableException"/>.
    /// Default 5 s. Only this store writes the file, so waits are rare: a reader's checkpoint,
    /// or an operator's <c>sqlite3</c> shell holding a write transaction.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows per retention transaction (default 50,000): each chunk is its own
    /// transaction, so a large purge never holds the writer for more than a fraction of a second.</summary>
    public int RetentionChunkRows { get; init; } = 50_000;

    /// <summary>Rows bound per INSERT statement; the measured best (EmbeddedStoreMeasurements).
    /// Internal: a tuning knob for measurements, not an operator setting.</summary>
    internal int RowsPerStatement { get; init; } = EmbeddedSchema.DefaultRowsPerStatement;

    /// <summary><c>PRAGMA synchronous</c> value; FULL, for the reason in <see cref="EmbeddedSchema.Durability"/>.
    /// Internal: NORMAL exists only so the measurement can show what FULL costs.</summary>
    internal string Synchronous { get; init; } = EmbeddedSchema.Durability;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DatabasePath);
        ArgumentOutOfRangeException.ThrowIfNegative(RetentionDays);
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BusyTimeout, TimeSpan.FromMilliseconds(int.MaxValue));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetentionChunkRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RowsPerStatement, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RowsPerStatement, EmbeddedSchema.MaxRowsPerStatement);
        if (Synchronous is not ("FULL" or "NORMAL"))
        {
            throw new ArgumentOutOfRangeException(nameof(Synchronous), Synchronous, "FULL or NORMAL");
        }
    }
}
