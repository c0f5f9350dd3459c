using System.Diagnostics;
using System.Runtime.CompilerServices;
using AnalyticsHub.Storage.Wal.Internal;
using FASTER.core;

namespace AnalyticsHub.Storage.Wal;

/// <summary>
/// A durable, recoverable log of opaque records on FASTER's <see cref="FasterLog"/>.
/// Appends are lock-free and copy the record into the in-memory tail; one background
/// committer makes them durable in groups (<see cref="WalOptions.CommitInterval"/> /
/// <see cref="WalOptions.CommitBytes"/>); <see cref="WaitForDurableAsync"/> gates an
/// acknowledgement on that commit. Readers (<see cref="OpenReader"/>) keep persisted
/// checkpoints that bound truncation and the backlog.
/// </summary>
/// <remarks>
/// Layout of <see cref="WalOptions.Directory"/>: <c>log/wal.log.N</c> segment files,
/// <c>commits/</c> FASTER commit metadata, <c>readers/NAME.ckpt</c> reader checkpoints.
/// <see cref="TryAppend(ReadOnlySpan{byte}, out long)"/> and <see cref="WaitForDurableAsync"/> may run on any number of
/// threads; they must not race with <see cref="DisposeAsync"/>.
/// </remarks>
public sealed partial class WriteAheadLog : IAsyncDisposable
{
    private const string LogSubdirectory = "log";
    private const string CommitSubdirectory = "commits";
    private const string ReaderSubdirectory = "readers";

    private readonly WalOptions _options;
    private readonly IDevice _device;
    private readonly FasterLog _log;
    private readonly DurableCommitManager _commits;
    private readonly string _readerDirectory;
    private readonly int _maxRecordLength;
    private readonly long _maxBacklogBytes;

    private readonly Lock _readersLock = new();
    private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WalReader> _openReaders = new(StringComparer.Ordinal);

    // Slowest persisted reader checkpoint, long.MaxValue when there is no reader; the
    // truncation limit. Read and written under _readersLock.
    private long _slowestCheckpoint = long.MaxValue;

    // Every record below it is durable: log pages flushed and the commit record on disk. Moved
    // only by the committer after it checked both, so waiters never trust FASTER's in-memory
    // CommittedUntilAddress alone (it advances even when the commit record failed to write).
    private long _durableUntil;

    private volatile WalUnavailableException? _fault;
    private int _disposed;

    private WriteAheadLog(WalOptions options, IDevice device, FasterLog log, DurableCommitManager commits, string readerDirectory)
    {
        _options = options;
        _device = device;
        _log = log;
        _commits = commits;
        _durableUntil = log.CommittedUntilAddress;
        _readerDirectory = readerDirectory;
        // A FasterLog record is a 4-byte length header plus the payload, 8-byte aligned, in one page.
        _maxRecordLength = (1 << options.PageSizeBits) - 64;
        _maxBacklogBytes = options.MaxBacklogBytes;
        _lastCommitTail = log.CommittedUntilAddress;
        _lastCommitBegin = log.BeginAddress;
        _nextCommit = NewCommitSignal();
        CreateInstruments();
        _committer = new Thread(CommitLoop) { IsBackground = true, Name = "wal-committer" };
        _committer.Start();
    }

    /// <summary>
    /// Opens (recovering what was committed) or creates the log in <see cref="WalOptions.Directory"/>.
    /// </summary>
    /// <exception cref="WalUnavailableException">The directory cannot be created or written.</exception>
    public static WriteAheadLog Open(WalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string root = Path.GetFullPath(options.Directory);
        string readerDirectory = Path.Combine(root, ReaderSubdirectory);
        string commitDirectory = Path.Combine(root, CommitSubdirectory);
        string logDirectory = Path.Combine(root, LogSubdirectory);
        try
        {
            Directory.CreateDirectory(logDirectory);
            Directory.CreateDirectory(commitDirectory);
            Directory.CreateDirectory(readerDirectory);
            ProbeWritable(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalUnavailableException(root, "cannot create or write the WAL directory", e);
        }

        IDevice? device = null;
        FasterLog? log = null;
        try
        {
            var commits = new DurableCommitManager(commitDirectory);
            CommitInventory inventory = commits.Inspect();
            Guid logId = LogIdentity.LoadOrCreate(Path.Combine(root, LogIdentity.FileName));
            string segments = Path.Combine(logDirectory, "wal.log");
            device = options.DirectIo && DirectLogDevice.IsSupported
                ? new DirectLogDevice(segments)
                : Devices.CreateLogDevice(segments, recoverDevice: true);
            log = new FasterLog(new FasterLogSettings
            {
                LogDevice = device,
                PageSizeBits = options.PageSizeBits,
                MemorySizeBits = options.MemorySizeBits,
                SegmentSizeBits = options.SegmentSizeBits,
                LogCommitManager = commits,
                TryRecoverLatest = true,
                AutoRefreshSafeTailAddress = false,
                AutoCommit = false,
            });
            // FASTER swallows recovery errors and would start an empty log: check it found the newest commit.
            CheckRecovery(commitDirectory, inventory, log.CommittedUntilAddress);
            commits.SetRecovered(log.CommittedUntilAddress);
            var wal = new WriteAheadLog(options, device, log, commits, readerDirectory);
            wal.LoadCheckpoints();
            wal.LogId = logId;
            return wal;
        }
        catch (Exception e)
        {
            log?.Dispose();
            device?.Dispose();
            if (e is WalUnavailableException)
            {
                throw;
            }
            if (e is IOException or UnauthorizedAccessException or FasterException or InvalidDataException)
            {
                throw new WalUnavailableException(root, "cannot open or recover the log", e);
            }
            throw;
        }
    }

    /// <summary>
    /// Identifies this log for as long as its directory lives: created with the log, so a wiped and
    /// recreated WAL (whose addresses start again from the beginning) is never taken for the old one
    /// by a store that remembers positions in it.
    /// </summary>
    public Guid LogId { get; private set; }

    /// <summary>The options the log was opened with.</summary>
    public WalOptions Options => _options;

    /// <summary>Address of the oldest record still in the log (moves with truncation).</summary>
    public long BeginAddress => _log.BeginAddress;

    /// <summary>Address the next append will get (exclusive end of all appended records).</summary>
    public long TailAddress => _log.TailAddress;

    /// <summary>Every record below this address is durable (fsync'd, survives a crash).</summary>
    public long CommittedUntilAddress => Volatile.Read(ref _durableUntil);

    /// <summary>The largest record <see cref="TryAppend(ReadOnlySpan{byte}, out long)"/> accepts, in bytes.</summary>
    public int MaxRecordLength => _maxRecordLength;

    /// <summary>Bytes the log retains: from <see cref="BeginAddress"/> to the tail. Truncation
    /// behind the slowest persisted reader checkpoint is what shrinks it, so a lagging (or absent)
    /// store drainer makes it grow — and the bound is on disk use, whoever the readers are.</summary>
    public long BacklogBytes => TailAddress - _log.BeginAddress;

    /// <summary>True once <see cref="BacklogBytes"/> reached <see cref="WalOptions.MaxBacklogBytes"/>:
    /// producers should be slowed (appends fail with <see cref="WalAppendStatus.OverBacklog"/>).</summary>
    public bool IsOverBacklog => BacklogBytes >= _maxBacklogBytes;

    /// <summary>The failure that made the log unavailable, or null while it is healthy.</summary>
    public WalUnavailableException? Fault => _fault;

    /// <summary>
    /// Appends one record (copied; no allocation). The record is durable only once
    /// <see cref="WaitForDurableAsync"/> for the returned address completes.
    /// </summary>
    /// <param name="record">The payload, at most <see cref="MaxRecordLength"/> bytes.</param>
    /// <param name="address">The record's log address when <see cref="WalAppendStatus.Appended"/>.</param>
    public WalAppendStatus TryAppend(ReadOnlySpan<byte> record, out long address) => TryAppend(record, enforceBacklog: true, out address);

    /// <summary>
    /// Appends one record; with <paramref name="enforceBacklog"/> false the backlog bound is not
    /// checked, for a caller that checked <see cref="IsOverBacklog"/> before doing work it cannot
    /// cleanly undo (the bound is then exceeded by at most one record per such caller).
    /// </summary>
    public WalAppendStatus TryAppend(ReadOnlySpan<byte> record, bool enforceBacklog, out long address)
    {
        address = 0;
        if (_fault is not null || Volatile.Read(ref _disposed) != 0)
        {
            return WalAppendStatus.Unavailable;
        }
        if (record.Length > _maxRecordLength)
        {
            return WalAppendStatus.RecordTooLarge;
        }
        if (enforceBacklog && _log.TailAddress - _log.BeginAddress >= _maxBacklogBytes)
        {
            return WalAppendStatus.OverBacklog;
        }
        if (!_log.TryEnqueue(record, out address))
        {
            return AppendSlow(record, out address);
        }
        OnAppended(address + record.Length);
        return WalAppendStatus.Appended;
    }

    /// <summary>Appends one record and returns its address; throws instead of returning a status.</summary>
    /// <exception cref="WalUnavailableException">The log failed.</exception>
    /// <exception cref="InvalidOperationException">Over backlog or record too large.</exception>
    public long Append(ReadOnlySpan<byte> record)
    {
        WalAppendStatus status = TryAppend(record, out long address);
        if (status != WalAppendStatus.Appended)
        {
            ThrowAppendFailed(status);
        }
        return address;
    }

    /// <summary>
    /// Completes once the record at <paramref name="address"/> is durable. Waiters share one
    /// completion per commit: no allocation unless <paramref name="cancellationToken"/> can be
    /// cancelled. Faults with <see cref="WalUnavailableException"/> when the commit fails.
    /// </summary>
    public ValueTask WaitForDurableAsync(long address, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _durableUntil) > address)
        {
            return default;
        }
        if (_fault is { } fault)
        {
            return ValueTask.FromException(fault);
        }
        if (address >= _log.TailAddress)
        {
            return ValueTask.FromException(new ArgumentOutOfRangeException(nameof(address), address, "No record was appended at this address."));
        }
        return WaitUntilCommittedAsync(address, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitUntilCommittedAsync(long address, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The signal first, then the committed address: any commit finishing after this read
            // completes this signal, so checking and waiting cannot miss one.
            TaskCompletionSource signal = Volatile.Read(ref _nextCommit);
            if (Volatile.Read(ref _durableUntil) > address)
            {
                return;
            }
            if (_fault is { } fault)
            {
                throw fault;
            }
            if (signal.Task.IsCompleted && !signal.Task.IsFaulted)
            {
                if (!ReferenceEquals(signal, Volatile.Read(ref _nextCommit)))
                {
                    continue; // a commit finished between the reads: look again
                }

                // Only a stopped committer completes a signal without replacing it.
                throw new ObjectDisposedException(nameof(WriteAheadLog), "The log was closed before the record was committed.");
            }
            await (cancellationToken.CanBeCanceled ? signal.Task.WaitAsync(cancellationToken) : signal.Task).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the named reader (one instance per name at a time). A new name starts at
    /// <see cref="BeginAddress"/> and its checkpoint is persisted at once, so truncation waits for it.</summary>
    /// <param name="name">Letters, digits, '-' and '_'.</param>
    public WalReader OpenReader(string name)
    {
        ValidateReaderName(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_readersLock)
        {
            if (_openReaders.ContainsKey(name))
            {
                throw new InvalidOperationException($"WAL reader '{name}' is already open.");
            }
            if (!_checkpoints.TryGetValue(name, out long start))
            {
                start = _log.BeginAddress;
                PersistCheckpointLocked(name, start);
            }
            var reader = new WalReader(this, name, start, _log.Scan(start, long.MaxValue));
            _openReaders.Add(name, reader);
            return reader;
        }
    }

    /// <summary>The persisted checkpoint of every reader this log knows (open or not).</summary>
    public IReadOnlyDictionary<string, long> ReaderCheckpoints
    {
        get
        {
            lock (_readersLock)
            {
                return new Dictionary<string, long>(_checkpoints, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Forgets a reader that is not open: its checkpoint no longer holds back truncation.</summary>
    public bool RemoveReader(string name)
    {
        ValidateReaderName(name);
        lock (_readersLock)
        {
            if (_openReaders.ContainsKey(name))
            {
                throw new InvalidOperationException($"WAL reader '{name}' is open.");
            }
            if (!_checkpoints.Remove(name))
            {
                return false;
            }
            File.Delete(CheckpointPath(name));
            RecomputeSlowestLocked();
            return true;
        }
    }

    /// <summary>
    /// Drops the records below <paramref name="untilAddress"/>. Refuses (returns false, changes
    /// nothing) when that is past the slowest persisted reader checkpoint or past
    /// <see cref="CommittedUntilAddress"/>. The new begin is made durable by the next commit;
    /// segment files wholly below it are deleted.
    /// </summary>
    public bool TruncateUntil(long untilAddress)
    {
        lock (_readersLock)
        {
            if (untilAddress > TruncationLimitLocked())
            {
                return false;
            }
            if (untilAddress <= _log.BeginAddress)
            {
                return true;
            }
            _log.TruncateUntil(untilAddress);
        }
        RequestCommit();
        return true;
    }

    /// <summary>
    /// Truncates as far as allowed — the slowest persisted reader checkpoint — but not past
    /// <paramref name="notPast"/>, and returns the new begin. Unlike <see cref="TruncateUntil"/> it
    /// never refuses: a reader that is behind only shortens the step.
    /// </summary>
    public long TruncateToSlowestCheckpoint(long notPast = long.MaxValue)
    {
        lock (_readersLock)
        {
            long limit = Math.Min(TruncationLimitLocked(), notPast);
            if (limit > _log.BeginAddress)
            {
                _log.TruncateUntil(limit);
            }
        }
        RequestCommit();
        return _log.BeginAddress;
    }

    /// <summary>Stops the committer after a final commit, then closes the log and its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _meter.Dispose(); // first: its observable instruments read the log being closed
        StopCommitter();
        await _committerDone.Task.ConfigureAwait(false);
        lock (_readersLock)
        {
            foreach (WalReader reader in _openReaders.Values)
            {
                reader.CloseIterator();
            }
            _openReaders.Clear();
        }
        _log.Dispose();
        _device.Dispose();
        _wake.Dispose();
    }

    internal void PersistCheckpoint(string name, long address)
    {
        lock (_readersLock)
        {
            PersistCheckpointLocked(name, address);
        }
    }

    internal void OnReaderClosed(string name)
    {
        lock (_readersLock)
        {
            _openReaders.Remove(name);
        }
    }

    internal void ThrowIfFaulted()
    {
        if (_fault is { } fault)
        {
            throw fault;
        }
    }

    private long TruncationLimitLocked()
    {
        long committed = Volatile.Read(ref _durableUntil);
        return _slowestCheckpoint == long.MaxValue ? committed : Math.Min(committed, _slowestCheckpoint);
    }

    private void PersistCheckpointLocked(string name, long address)
    {
        try
        {
            CheckpointFile.Write(CheckpointPath(name), address);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalUnavailableException(CheckpointPath(name), "cannot persist the reader checkpoint", e);
        }
        _checkpoints[name] = address;
        RecomputeSlowestLocked();
    }

    private void RecomputeSlowestLocked()
    {
        long slowest = long.MaxValue;
        foreach (long checkpoint in _checkpoints.Values)
        {
            slowest = Math.Min(slowest, checkpoint);
        }
        Volatile.Write(ref _slowestCheckpoint, slowest);
    }

    private void LoadCheckpoints()
    {
        lock (_readersLock)
        {
            foreach (string path in Directory.EnumerateFiles(_readerDirectory))
            {
                if (path.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    File.Delete(path); // an interrupted persist: the previous file is still whole
                    continue;
                }
                if (!path.EndsWith(CheckpointFile.Extension, StringComparison.Ordinal))
                {
                    continue;
                }
                // Never below the begin: truncation cannot pass a checkpoint, so this only
                // guards against a log directory edited by hand.
                long address = Math.Max(CheckpointFile.Read(path), _log.BeginAddress);
                _checkpoints[Path.GetFileNameWithoutExtension(path)] = address;
            }
            RecomputeSlowestLocked();
        }
    }

    private string CheckpointPath(string name) => Path.Combine(_readerDirectory, name + CheckpointFile.Extension);

    private WalAppendStatus AppendSlow(ReadOnlySpan<byte> record, out long address)
    {
        // The in-memory tail is full of pages still being flushed: wait for the flush.
        var spin = new SpinWait();
        while (!_log.TryEnqueue(record, out address))
        {
            if (_fault is not null || Volatile.Read(ref _disposed) != 0)
            {
                return WalAppendStatus.Unavailable;
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
        OnAppended(address + record.Length);
        return WalAppendStatus.Appended;
    }

    private static void CheckRecovery(string commitDirectory, CommitInventory found, long recoveredUntil)
    {
        if (found.Valid == 0 && found.Damaged > 0)
        {
            throw new WalUnavailableException(commitDirectory,
                $"none of the {found.Damaged} commit record(s) is whole (or they were written by another version), so what the log holds cannot be known; "
                + "move the directory aside to start an empty log", null);
        }
        if (found.Valid > 0 && recoveredUntil < found.NewestUntilAddress)
        {
            throw new WalUnavailableException(commitDirectory,
                $"recovery stopped at address {recoveredUntil}, below the newest whole commit (number {found.NewestCommit}, until {found.NewestUntilAddress}); "
                + "the log segments may be damaged or missing", null);
        }
    }

    private static void ProbeWritable(string root)
    {
        // Catches a read-only file system or directory before FASTER gets a chance to fail later.
        string probe = Path.Combine(root, ".write-probe");
        using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.WriteByte(1);
            stream.Flush(flushToDisk: true);
        }
        File.Delete(probe);
    }

    private static void ValidateReaderName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                throw new ArgumentException($"WAL reader name '{name}' may only hold letters, digits, '-' and '_'.", nameof(name));
            }
        }
    }

    [StackTraceHidden]
    private void ThrowAppendFailed(WalAppendStatus status) => throw status switch
    {
        WalAppendStatus.Unavailable => (Exception?)_fault ?? new ObjectDisposedException(nameof(WriteAheadLog)),
        WalAppendStatus.OverBacklog => new InvalidOperationException($"WAL backlog is full ({BacklogBytes} of {_maxBacklogBytes} bytes)."),
        _ => new InvalidOperationException($"WAL record is larger than {_maxRecordLength} bytes."),
    };
}
