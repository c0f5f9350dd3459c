using AnalyticsHub.Core.Storage;
using AnalyticsHub.Protocol.Ingest;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Tracing;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Storage;

/// <summary>
/// Moves accepted events from the WAL into the store, as WAL reader <c>store</c>: large batches
/// (<see cref="StorageOptions.BatchRows"/> events or <see cref="StorageOptions.BatchIntervalMs"/>),
/// written until the store confirms — transient failures retried with exponential backoff and
/// jitter, refused batches split down to the refused events, which go to the dead-letter log —
/// and only then the checkpoint advanced and the WAL truncated behind it. A store outage only
/// grows the backlog, which the WAL bounds by pushing back on producers. After a crash the
/// store's <see cref="IEventStore.ResumeAsync"/> says what of the re-read records it already
/// holds, so nothing is stored twice.
/// </summary>
public sealed partial class StoreDrainer(
    WriteAheadLog wal,
    IEventStore store,
    DeadLetterStore deadLetters,
    StorageOptions options,
    DrainerStatus status,
    ILogger<StoreDrainer> logger) : BackgroundService
{
    public const string ReaderName = "store";

    /// <summary>Dead-letter code of an event the store refused.</summary>
    public const string StoreRejectedCode = "store_rejected";

    // A batch ends at the first read past BatchRows: up to 8 records of up to a few thousand events more.
    private readonly StoredEventBatch _batch = new(options.BatchRows + 8 * 1024);
    private readonly StoredEventProjector _projector = new();
    private readonly TruncationClock _truncation = new(TimeSpan.FromSeconds(options.WalRetainSeconds));
    private static readonly TimeSpan RetentionPeriod = TimeSpan.FromHours(1);
    private static readonly TimeSpan IdleProbeInterval = TimeSpan.FromSeconds(5);

    private StoreResume? _resume;
    private long _nextRetention = Environment.TickCount64 + 60_000;
    private long _resumeUntil;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await InitializeStoreAsync(stoppingToken).ConfigureAwait(false);
            using var reader = wal.OpenReader(ReaderName);
            var resume = await ResumeAsync(reader.CheckpointAddress, stoppingToken).ConfigureAwait(false);
            if (resume.StoredBefore.Address > wal.TailAddress)
            {
                // The store remembers a log this one is not (the WAL was recreated, the store kept): its
                // position means nothing here, and following it would skip every new event.
                DrainerLog.ForeignResume(logger, store.Kind, resume.StoredBefore.Address, wal.TailAddress);
                resume = StoreResume.Nothing(reader.CheckpointAddress);
            }

            SetResume(resume);
            status.OnStarted(reader.CheckpointAddress);
            await DrainAsync(reader, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WalUnavailableException or ObjectDisposedException)
        {
            DrainerLog.WalFailed(logger, e.Message);
            status.OnStopped("the write-ahead log failed: " + e.Message);
        }
        catch (Exception e)
        {
            // Never take the host down: ingestion goes on (bounded by the backlog) and readiness says why.
            DrainerLog.Crashed(logger, e.ToString());
            status.OnStopped("the drainer stopped: " + e.Message);
        }
        finally
        {
            _projector.Dispose();
            _batch.Dispose();
        }
    }

    private async Task DrainAsync(WalReader reader, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.BatchIntervalMs);
        bool logOpen = true;
        while (logOpen && !stoppingToken.IsCancellationRequested)
        {
            _batch.Reset();
            _batch.FirstAddress = reader.CompletedUntilAddress;
            _batch.NextAddress = reader.CompletedUntilAddress;
            logOpen = await FillAsync(reader, interval, stoppingToken).ConfigureAwait(false);
            if (_batch.NextAddress == reader.CompletedUntilAddress)
            {
                await IdleAsync(stoppingToken).ConfigureAwait(false); // nothing arrived for a while
                Truncate(reader.CheckpointAddress); // what was retained has aged, or another reader caught up
                continue;
            }

            if (_batch.Count > 0)
            {
                await WriteRangeAsync(0, _batch.Count, stoppingToken).ConfigureAwait(false);
            }

            reader.CompleteUntil(_batch.NextAddress);
            await reader.PersistCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
            status.OnStored(_batch.NextAddress);
            Truncate(reader.CheckpointAddress);
            await ApplyRetentionIfDueAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>No events for a while: check the store still answers (readiness), and run retention if due.</summary>
    private async Task IdleAsync(CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var probe = await store.ProbeAsync(stoppingToken).ConfigureAwait(false);
        if (probe.Reachable)
        {
            status.OnProbeSucceeded();
            await ApplyRetentionIfDueAsync(stoppingToken).ConfigureAwait(false);
        }
        else
        {
            status.OnWriteFailed(probe.Error ?? "the store did not answer");
        }
    }

    private async Task ApplyRetentionIfDueAsync(CancellationToken stoppingToken)
    {
        if (options.RetentionDays <= 0 || Environment.TickCount64 < _nextRetention)
        {
            return;
        }

        _nextRetention = Environment.TickCount64 + (long)RetentionPeriod.TotalMilliseconds;
        var cutoff = DateTimeOffset.UtcNow.AddDays(-options.RetentionDays);
        try
        {
            long removed = await store.DeleteOlderThanAsync(cutoff, stoppingToken).ConfigureAwait(false);
            DrainerLog.RetentionApplied(logger, store.Kind, cutoff, removed);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreRejectedException)
        {
            _nextRetention = Environment.TickCount64 + 60_000; // try again soon
            DrainerLog.RetentionFailed(logger, store.Kind, e.Message);
        }
    }

    /// <summary>Reads records into the batch until it is full or the interval since its first record passed. False when the log closed.</summary>
    private async Task<bool> FillAsync(WalReader reader, TimeSpan interval, CancellationToken stoppingToken)
    {
        DateTime? deadline = null;
        while (_batch.Count < options.BatchRows)
        {
            WalBatch records;
            using (var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                // Before the first record: wake up now and then to probe the store while idle.
                var left = (deadline ?? DateTime.UtcNow + IdleProbeInterval) - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return true;
                }

                window.CancelAfter(left);

                try
                {
                    // Few records per read, so a batch ends close to BatchRows.
                    records = await reader.ReadBatchAsync(8, window.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return true; // the interval passed (or shutdown): write what we have
                }
            }

            if (records.Count == 0)
            {
                return false;
            }

            deadline ??= DateTime.UtcNow + interval;
            status.OnPending();
            for (int i = 0; i < records.Count; i++)
            {
                var record = records[i];
                int before = _batch.Count;
                if (!_projector.TryProject(record.Address, record.Data.Span, _batch, out var error))
                {
                    DrainerLog.DamagedRecord(logger, record.Address, error.ToString());
                }

                SkipStoredRows(before);
                _batch.NextAddress = record.NextAddress;
            }
        }

        return true;
    }

    /// <summary>After a restart: drops rows the store already holds (written before a crash, confirmation unseen).</summary>
    private void SkipStoredRows(int from)
    {
        if (_resume is not { } resume || _batch.Count == from)
        {
            return;
        }

        var rows = _batch.Rows;
        long lastAddress = rows[^1].WalAddress;
        int kept = from;
        for (int i = from; i < rows.Length; i++)
        {
            if (!resume.IsStored(new StorePosition(rows[i].WalAddress, rows[i].WalIndex)))
            {
                rows[kept++] = rows[i];
            }
        }

        _batch.TruncateRows(kept);
        if (lastAddress > _resumeUntil)
        {
            _resume = null; // past everything the store reported: stop checking
        }
    }

    /// <summary>Writes rows [start, start+count), retrying transient failures and splitting refused ranges.</summary>
    private async Task WriteRangeAsync(int start, int count, CancellationToken stoppingToken)
    {
        var storedBefore = start + count == _batch.Count
            ? new StorePosition(_batch.NextAddress, 0)
            : new StorePosition(_batch[start + count].WalAddress, _batch[start + count].WalIndex);
        // Retries may find part of the range stored and shrink it; a refusal splits what is left.
        var (left, refused) = await WriteWithRetryAsync(start, count, storedBefore, stoppingToken).ConfigureAwait(false);
        if (refused is null)
        {
            return;
        }

        if (left > 1)
        {
            DrainerLog.BatchRejected(logger, left, refused.ServerMessage);
            int half = left / 2;
            await WriteRangeAsync(start, half, stoppingToken).ConfigureAwait(false);
            await WriteRangeAsync(start + half, left - half, stoppingToken).ConfigureAwait(false);
        }
        else
        {
            await DeadLetterAsync(start, refused, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the range until the store takes it or refuses it. Returns how many rows of the range are
    /// still unwritten at the front (fewer than asked when a retry found some already stored) and the
    /// refusal, or (0, null) once written.
    /// </summary>
    private async Task<(int Left, StoreRejectedException? Refused)> WriteWithRetryAsync(int start, int count, StorePosition storedBefore, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.RetryInitialDelayMs, options.RetryMaxDelayMs);
        using var span = StoreWriteSpan.Start(store.Kind, count);
        while (count > 0)
        {
            try
            {
                long began = Environment.TickCount64;
                await store.WriteAsync(_batch, start, count, storedBefore, stoppingToken).ConfigureAwait(false);
                status.OnWrite(count, Environment.TickCount64 - began);
                StoreWriteSpan.Written(span, count, backoff.Attempts);
                return (0, null);
            }
            catch (StoreRejectedException e)
            {
                SpanFailure.Record(span, StoreRejectedCode, e.ServerMessage);
                return (count, e);
            }
            catch (StoreUnavailableException e)
            {
                var delay = backoff.Next();
                status.OnWriteFailed(e.Message);
                status.OnWriteRetry();
                StoreWriteSpan.Retrying(span, backoff.Attempts, e.Message);
                if (backoff.Attempts is 1 or 10 || backoff.Attempts % 50 == 0)
                {
                    DrainerLog.StoreUnavailable(logger, store.Kind, backoff.Attempts, (int)delay.TotalMilliseconds, e.Message);
                }
            }

            await Task.Delay(backoff.Current, stoppingToken).ConfigureAwait(false);
            count = await DropStoredAsync(start, count, stoppingToken).ConfigureAwait(false);
        }

        return (0, null);
    }

    /// <summary>
    /// After a failed write whose outcome is unknown (a timeout after the server committed, a
    /// ClickHouse insert applied to some partitions): moves the rows the store does not hold to the
    /// front of the range and returns how many there are. Rows past them in the range are stored.
    /// </summary>
    private async Task<int> DropStoredAsync(int start, int count, CancellationToken stoppingToken)
    {
        StoreResume resume;
        try
        {
            resume = await store.ResumeAsync(_batch[start].WalAddress, stoppingToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            return count; // still down: retry the whole range
        }

        var rows = _batch.Rows;
        int kept = start;
        for (int i = start; i < start + count; i++)
        {
            if (!resume.IsStored(new StorePosition(rows[i].WalAddress, rows[i].WalIndex)))
            {
                rows[kept++] = rows[i];
            }
        }

        return kept - start;
    }

    private void SetResume(StoreResume resume)
    {
        _resume = resume;
        _resumeUntil = resume.StoredBefore.Address;
        foreach (var row in resume.StoredRows)
        {
            _resumeUntil = Math.Max(_resumeUntil, row.Address);
        }
    }

    private async Task DeadLetterAsync(int row, StoreRejectedException e, CancellationToken stoppingToken)
    {
        var stored = _batch[row]; // a copy: the batch is not touched while this awaits
        var record = await wal.ReadRecordAsync(stored.WalAddress, stoppingToken).ConfigureAwait(false);
        byte[] original = record is null ? [] : _projector.EventBytes(record, stored.WalIndex) ?? [];
        string producer = "";
        ulong sequence = 0;
        if (record is not null && IngestRecordReader.TryReadInfo(record, out var info))
        {
            producer = System.Text.Encoding.UTF8.GetString(record.AsSpan(info.ProducerId.Offset, info.ProducerId.Length));
            sequence = info.Sequence;
        }

        var letter = new DeadLetter(
            0,
            DateTimeOffset.UnixEpoch.AddTicks(stored.ReceivedUnixNano / 100),
            System.Text.Encoding.UTF8.GetString(_batch.Text(stored.TenantId)),
            stored.SourceModule,
            System.Text.Encoding.UTF8.GetString(_batch.Text(stored.EventId)),
            StoreRejectedCode,
            $"the {store.Kind} store refused the event: {e.ServerMessage}",
            producer,
            sequence,
            // Ingest dead letters use the event's index in its batch; store refusals count down from -1 so both fit one key.
            -1 - stored.WalIndex,
            original,
            stored.WalAddress);
        var backoff = new Backoff(options.RetryInitialDelayMs, options.RetryMaxDelayMs);
        while (true)
        {
            try
            {
                deadLetters.Add([letter]);
                status.OnDeadLettered();
                DrainerLog.EventRejected(logger, letter.EventId, store.Kind, e.ServerMessage);
                return;
            }
            catch (DeadLetterStoreUnavailableException failure)
            {
                DrainerLog.DeadLetterFailed(logger, failure.Message);
                await Task.Delay(backoff.Next(), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task InitializeStoreAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.RetryInitialDelayMs, options.RetryMaxDelayMs);
        while (true)
        {
            try
            {
                await store.InitializeAsync(stoppingToken).ConfigureAwait(false);
                DrainerLog.StoreReady(logger, store.Kind);
                return;
            }
            catch (Exception e) when (e is StoreUnavailableException or StoreRejectedException)
            {
                status.OnWriteFailed(e.Message);
                var delay = backoff.Next();
                DrainerLog.StoreInitFailed(logger, store.Kind, (int)delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<StoreResume> ResumeAsync(long checkpoint, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.RetryInitialDelayMs, options.RetryMaxDelayMs);
        while (true)
        {
            try
            {
                return await store.ResumeAsync(checkpoint, stoppingToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e)
            {
                status.OnWriteFailed(e.Message);
                await Task.Delay(backoff.Next(), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Truncates the WAL behind the drained checkpoint, keeping the last <see cref="StorageOptions.WalRetainSeconds"/> of it unless the backlog presses.</summary>
    private void Truncate(long checkpoint)
    {
        _truncation.Record(checkpoint);
        bool pressed = wal.BacklogBytes > wal.Options.MaxBacklogBytes / 2;
        long until = pressed ? checkpoint : _truncation.RetainedFrom(wal.BeginAddress);
        if (until > wal.BeginAddress)
        {
            // As far as every reader allows: the dead-letter indexer may have persisted less.
            wal.TruncateToSlowestCheckpoint(until);
        }
    }
}
