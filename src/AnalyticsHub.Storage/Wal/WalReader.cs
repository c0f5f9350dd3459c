using FASTER.core;

namespace AnalyticsHub.Storage.Wal;

/// <summary>
/// A named reader of committed records (for the store drainer) with a persisted checkpoint.
/// Delivery is at-least-once: after a reopen it resumes at the last persisted checkpoint, so
/// records completed but not persisted are delivered again. Its persisted checkpoint bounds
/// <see cref="WriteAheadLog.TruncateUntil"/> (and so, through truncation, <see cref="WriteAheadLog.BacklogBytes"/>).
/// One consumer at a time; not thread-safe.
/// </summary>
public sealed class WalReader : IDisposable
{
    private readonly WriteAheadLog _wal;
    private readonly WalBatch _batch = new();
    private FasterLogScanIterator? _iterator;
    private long _readUntil;

    internal WalReader(WriteAheadLog wal, string name, long checkpoint, FasterLogScanIterator iterator)
    {
        _wal = wal;
        Name = name;
        _iterator = iterator;
        CheckpointAddress = checkpoint;
        CompletedUntilAddress = checkpoint;
        _readUntil = checkpoint;
    }

    /// <summary>The reader's name (its checkpoint file is <c>readers/NAME.ckpt</c>).</summary>
    public string Name { get; }

    /// <summary>The persisted checkpoint: a reopened reader starts here.</summary>
    public long CheckpointAddress { get; private set; }

    /// <summary>Records below this address are processed (not yet persisted unless equal to <see cref="CheckpointAddress"/>).</summary>
    public long CompletedUntilAddress { get; private set; }

    /// <summary>
    /// Returns up to <paramref name="maxRecords"/> committed records after the previous batch,
    /// waiting until at least one is committed. The returned batch (and its memory) is reused
    /// by the next call. An empty batch means the log was closed.
    /// </summary>
    public async ValueTask<WalBatch> ReadBatchAsync(int maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        FasterLogScanIterator iterator = _iterator ?? throw new ObjectDisposedException(nameof(WalReader));
        _batch.Reset(_readUntil);
        while (true)
        {
            _wal.ThrowIfFaulted();
            var consumer = new BatchConsumer(_batch);
            while (_batch.Count < maxRecords && iterator.TryConsumeNext(consumer))
            {
            }
            if (_batch.Count > 0)
            {
                _readUntil = _batch.NextAddress;
                return _batch;
            }
            bool more;
            try
            {
                more = await iterator.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CommitFailureException)
            {
                _wal.ThrowIfFaulted(); // the log's own, clearer fault
                throw;
            }
            if (!more)
            {
                return _batch;
            }
        }
    }

    /// <summary>Marks every record below <paramref name="untilAddress"/> as processed (use
    /// <see cref="WalBatch.NextAddress"/> or a record's <see cref="WalRecord.NextAddress"/>).
    /// Takes effect for truncation only after <see cref="PersistCheckpointAsync"/>.</summary>
    public void CompleteUntil(long untilAddress)
    {
        if (untilAddress < CompletedUntilAddress || untilAddress > _readUntil)
        {
            throw new ArgumentOutOfRangeException(nameof(untilAddress), untilAddress,
                $"Must lie between the completed address {CompletedUntilAddress} and the end of what was read {_readUntil}.");
        }
        CompletedUntilAddress = untilAddress;
    }

    /// <summary>Durably records <see cref="CompletedUntilAddress"/> as the checkpoint (temp file,
    /// fsync, atomic rename, directory fsync).</summary>
    /// <exception cref="WalUnavailableException">The checkpoint file cannot be written.</exception>
    public async ValueTask PersistCheckpointAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_iterator is null, this);
        long address = CompletedUntilAddress;
        if (address == CheckpointAddress)
        {
            return;
        }
        await Task.Run(() => _wal.PersistCheckpoint(Name, address), cancellationToken).ConfigureAwait(false);
        CheckpointAddress = address;
    }

    /// <summary>Closes the reader; its persisted checkpoint stays and keeps bounding truncation.</summary>
    public void Dispose()
    {
        if (_iterator is null)
        {
            return;
        }
        CloseIterator();
        _wal.OnReaderClosed(Name);
    }

    internal void CloseIterator()
    {
        _iterator?.Dispose();
        _iterator = null;
    }

    private readonly struct BatchConsumer(WalBatch batch) : ILogEntryConsumer
    {
        public void Consume(ReadOnlySpan<byte> entry, long currentAddress, long nextAddress) =>
            batch.Add(entry, currentAddress, nextAddress);
    }
}
