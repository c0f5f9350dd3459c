using System.Diagnostics;

namespace AnalyticsHub.Storage.Wal;

// The group committer: one dedicated thread that turns many appends into one commit (fsync).
//
//   idle ──first append──► window open ──CommitInterval elapsed or CommitBytes pending──► commit
//    ▲                                                                                      │
//    └──────────────────────────── complete the shared per-commit signal ◄──────────────────┘
//
// Appenders wake the thread only at the two edges (first append of a window, byte threshold
// crossed), each guarded by one CAS on _signalMode, so the common append touches no lock
// and no kernel object.
public sealed partial class WriteAheadLog
{
    private const int SignalNone = 0;
    private const int SignalOnAnyAppend = 1;
    private const int SignalOnBytes = 2;

    private readonly Thread _committer;
    private readonly TaskCompletionSource _committerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private int _signalMode;
    private volatile bool _stopping;
    private long _lastCommitTail;
    private long _lastCommitBegin;
    private long _commitCount;

    // Completed (and replaced) when the next commit finishes, whatever that commit covers: a
    // waiter reads it, then checks the committed address, and waits again if still not covered
    // (see WaitUntilCommittedAsync). Swapping only at completion means a waiter can never hold a
    // signal that skips the commit in flight (an earlier design swapped at commit start, and a
    // waiter arriving mid-commit then slept until the commit after, a whole interval later).
    private TaskCompletionSource _nextCommit;

    /// <summary>Commits issued by the group committer (each one fsync round): a measure of grouping.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    private static TaskCompletionSource NewCommitSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OnAppended(long endAddress)
    {
        // TryEnqueue's interlocked tail increment is a full fence, so this read cannot move
        // before the append; the committer writes the mode with Interlocked and then reads the
        // tail. One of the two always sees the other (Dekker), so no append is left unnoticed.
        int mode = Volatile.Read(ref _signalMode);
        if (mode == SignalNone)
        {
            return;
        }
        if (mode == SignalOnBytes && endAddress - Volatile.Read(ref _lastCommitTail) < _options.CommitBytes)
        {
            return;
        }
        if (Interlocked.CompareExchange(ref _signalMode, SignalNone, mode) == mode)
        {
            _wake.Set();
        }
    }

    private void RequestCommit() => _wake.Set();

    private void StopCommitter()
    {
        _stopping = true;
        _wake.Set();
    }

    private bool HasWork() =>
        _log.TailAddress > Volatile.Read(ref _lastCommitTail) || _log.BeginAddress > _lastCommitBegin;

    private void CommitLoop()
    {
        try
        {
            while (true)
            {
                _wake.Reset();
                Interlocked.Exchange(ref _signalMode, SignalOnAnyAppend);
                if (!HasWork() && !_stopping)
                {
                    _wake.Wait();
                }
                long windowStart = Stopwatch.GetTimestamp();
                while (!_stopping)
                {
                    _wake.Reset();
                    Interlocked.Exchange(ref _signalMode, SignalOnBytes);
                    if (_log.TailAddress - Volatile.Read(ref _lastCommitTail) >= _options.CommitBytes)
                    {
                        break;
                    }
                    TimeSpan remaining = _options.CommitInterval - Stopwatch.GetElapsedTime(windowStart);
                    if (remaining <= TimeSpan.Zero || !HasWork())
                    {
                        break;
                    }
                    _wake.Wait(remaining);
                }
                Interlocked.Exchange(ref _signalMode, SignalNone);
                if (HasWork() && !CommitOnce())
                {
                    return;
                }
                if (_stopping && !HasWork())
                {
                    _nextCommit.TrySetResult();
                    return;
                }
            }
        }
        finally
        {
            _committerDone.TrySetResult();
        }
    }

    private bool CommitOnce()
    {
        long tail = _log.TailAddress;
        long begin = _log.BeginAddress;
        long started = Stopwatch.GetTimestamp();
        try
        {
            _log.CommitAsync().AsTask().GetAwaiter().GetResult();
            if (_commits.Failure is { } writeFailure)
            {
                throw new IOException("the commit record could not be written: " + writeFailure.Message, writeFailure);
            }
            long durable = Math.Min(_log.CommittedUntilAddress, _commits.DurableUntilAddress);
            if (durable < tail)
            {
                throw new IOException($"commit ended at {durable}, below the tail {tail}");
            }
            Volatile.Write(ref _durableUntil, durable);
        }
        catch (Exception e)
        {
            string directory = Path.GetFullPath(_options.Directory);
            var fault = new WalUnavailableException(directory, "commit failed; the log stays at its last good commit" + FreeSpaceNote(directory), e);
            _fault = fault;
            Volatile.Read(ref _nextCommit).TrySetException(fault);
            return false;
        }
        RecordCommit(started, tail - Volatile.Read(ref _lastCommitTail));
        Volatile.Write(ref _lastCommitTail, tail);
        _lastCommitBegin = begin;
        Interlocked.Increment(ref _commitCount);
        Interlocked.Exchange(ref _nextCommit, NewCommitSignal()).TrySetResult();
        return true;
    }

    /// <summary>FASTER reports a failed write as a bare error code; say whether the disk is full.</summary>
    private static string FreeSpaceNote(string directory)
    {
        try
        {
            long free = new DriveInfo(directory).AvailableFreeSpace;
            return free < 1L << 20 ? $" (the disk is full: {free:N0} bytes free)" : $" ({free:N0} bytes free on the disk)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "";
        }
    }
}
