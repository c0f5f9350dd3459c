using System.Diagnostics;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Rollups;

/// <summary>
/// Feeds the rollup engine from the WAL, as reader <c>rollup</c>: every committed record's
/// accepted events are applied in log order, seconds are rolled as the clock moves, and every
/// <see cref="RollupSettings.FlushIntervalMs"/> the changed buckets are written to the store
/// together with the WAL position they include (beside the apply loop, one write at a time) — only
/// then does the reader's checkpoint (which bounds WAL truncation) move. On start it reloads this node's recent persisted buckets and
/// replays the WAL from the store's flush position, so memory after a restart holds exactly what
/// it held before, and no event is counted twice.
/// </summary>
public sealed class RollupWorker(
    WriteAheadLog wal,
    RollupEngine engine,
    IRollupStore store,
    RollupStatus status,
    HubOptions hub,
    ILogger<RollupWorker> logger) : BackgroundService
{
    public const string ReaderName = "rollup";

    private static readonly TimeSpan RollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetentionPeriod = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinPressedFlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly EventBatch _scratch = new();
    private readonly TimeSpan _flushInterval = TimeSpan.FromMilliseconds(hub.Rollups.FlushIntervalMs);
    private long _nextRetention = Environment.TickCount64 + 120_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            long flushed = await WarmUpAsync(stoppingToken).ConfigureAwait(false);
            using var reader = wal.OpenReader(ReaderName);
            long skipUntil = flushed;
            if (flushed > wal.TailAddress)
            {
                RollupLog.ForeignCheckpoint(logger, flushed, wal.TailAddress);
                skipUntil = 0;
            }
            else if (flushed < wal.BeginAddress && flushed > 0)
            {
                RollupLog.ReplayGap(logger, flushed, wal.BeginAddress);
            }

            status.OnReady(reader.CheckpointAddress);
            await RunAsync(reader, skipUntil, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WalUnavailableException or ObjectDisposedException)
        {
            status.OnStopped("the write-ahead log failed: " + e.Message);
        }
        catch (Exception e)
        {
            RollupLog.Crashed(logger, e.ToString());
            status.OnStopped("the rollup worker stopped: " + e.Message);
        }
        finally
        {
            _scratch.Dispose();
        }
    }

    /// <summary>Waits for the store, reloads this node's buckets still inside the memory windows, returns the flush position.</summary>
    private async Task<long> WarmUpAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(hub.Storage.RetryInitialDelayMs, hub.Storage.RetryMaxDelayMs);
        while (true)
        {
            try
            {
                await store.InitializeRollupsAsync(stoppingToken).ConfigureAwait(false);
                long flushed = await store.LoadRollupCheckpointAsync(stoppingToken).ConfigureAwait(false);
                int loaded = 0;
                var now = DateTime.UtcNow;
                for (int level = 0; level < RollupEngine.LevelSeconds.Length; level++)
                {
                    long from = engine.HotStart(level) * RollupEngine.LevelSeconds[level] * 1_000_000_000L;
                    var rows = await store.LoadRollupsAsync(RollupEngine.LevelSeconds[level], from, stoppingToken).ConfigureAwait(false);
                    engine.Load(rows, row => SeriesInfo.FromKey(row.TenantId, row.SeriesKey, engine.Series.Dimensions));
                    loaded += rows.Count;
                }

                RollupLog.Ready(logger, loaded, flushed);
                return flushed;
            }
            catch (Exception e) when (e is StoreUnavailableException or StoreRejectedException)
            {
                var delay = backoff.Next();
                status.OnFlushFailed(e.Message);
                if (backoff.Attempts is 1 or 10 || backoff.Attempts % 50 == 0)
                {
                    RollupLog.StoreUnavailable(logger, backoff.Attempts, (int)delay.TotalMilliseconds, e.Message);
                }
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(WalReader reader, long skipUntil, CancellationToken stoppingToken)
    {
        long nextFlush = Stopwatch.GetTimestamp() + (long)(_flushInterval.TotalSeconds * Stopwatch.Frequency);
        var backoff = new Backoff(hub.Storage.RetryInitialDelayMs, hub.Storage.RetryMaxDelayMs);
        long position = reader.CheckpointAddress;
        long lastFlush = Stopwatch.GetTimestamp();
        PendingFlush? pending = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                WalBatch? records = null;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(RollInterval);
                    try
                    {
                        records = await reader.ReadBatchAsync(64, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // No record for a while: roll and maybe flush below.
                    }
                }

                if (records is { Count: 0 })
                {
                    return; // the log closed
                }

                if (records is not null)
                {
                    for (int i = 0; i < records.Count; i++)
                    {
                        var record = records[i];
                        if (record.Address >= skipUntil)
                        {
                            Apply(record);
                        }
                    }
                    position = records.NextAddress;
                    status.OnApplied(position);
                }
                engine.NoteBacklog(position < wal.CommittedUntilAddress);

                long nowNanos = UnixNanosNow();
                engine.Roll(nowNanos);

                if (pending is { Write.IsCompleted: true })
                {
                    bool ok = await CompleteFlushAsync(reader, pending).ConfigureAwait(false);
                    pending = null;
                    if (ok)
                    {
                        backoff = new Backoff(hub.Storage.RetryInitialDelayMs, hub.Storage.RetryMaxDelayMs);
                    }
                    var pause = ok ? _flushInterval : backoff.Next();
                    nextFlush = Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency);
                    await ApplyRetentionIfDueAsync(stoppingToken).ConfigureAwait(false);
                }

                if (pending is null && (Stopwatch.GetTimestamp() >= nextFlush || MustFlushEarly(reader, position, lastFlush)))
                {
                    lastFlush = Stopwatch.GetTimestamp();
                    pending = StartFlush(reader, position, nowNanos, stoppingToken);
                    if (pending is null)
                    {
                        nextFlush = Stopwatch.GetTimestamp() + (long)(_flushInterval.TotalSeconds * Stopwatch.Frequency);
                    }
                }
            }
        }
        finally
        {
            if (pending is not null)
            {
                await pending.Write.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await CompleteFlushAsync(reader, pending).ConfigureAwait(false);
            }
        }

        // Shutdown: one last flush so a clean restart replays nothing.
        if (StartFlush(reader, position, UnixNanosNow(), CancellationToken.None) is { } last)
        {
            await last.Write.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await CompleteFlushAsync(reader, last).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The checkpoint bounds WAL truncation, so the log must not wait for the timer when what was
    /// applied since the last flush is an eighth of the backlog bound, or when the backlog is half
    /// full (then at most every 100 ms): producers would be pushed back for rollups' sake.
    /// </summary>
    private bool MustFlushEarly(WalReader reader, long position, long lastFlush)
    {
        long unflushed = position - reader.CheckpointAddress;
        if (unflushed <= 0)
        {
            return false;
        }

        long bound = wal.Options.MaxBacklogBytes;
        return unflushed >= bound / 8
            || (wal.BacklogBytes > bound / 2 && Stopwatch.GetElapsedTime(lastFlush) >= MinPressedFlushInterval);
    }

    private void Apply(WalRecord record)
    {
        _scratch.Load(record.Data.Span);
        if (!EventBatchDecoder.TryDecodeRecord(_scratch, out var error))
        {
            RollupLog.DamagedRecord(logger, record.Address, error.ToString());
            return;
        }
        engine.Apply(_scratch);
    }

    /// <summary>
    /// Takes the changed buckets (as of <paramref name="position"/>) and starts writing them to the store on the thread
    /// pool, so the WAL keeps being applied while the store works: a slow write (a backfill's hundreds of thousands of
    /// buckets, a store under load) must not hold events back from the rollups queries read. Null: nothing to write.
    /// </summary>
    private PendingFlush? StartFlush(WalReader reader, long position, long nowNanos, CancellationToken stoppingToken)
    {
        var rows = engine.CollectFlush(position, nowNanos);
        if (rows.Count == 0 && position == reader.CheckpointAddress)
        {
            return null;
        }

        long began = Stopwatch.GetTimestamp();
        var write = Task.Run(() => store.WriteRollupsAsync(rows, position, stoppingToken), CancellationToken.None);
        return new PendingFlush(rows, position, began, write);
    }

    /// <summary>After the store's write ended: on success the rows count as persisted and the checkpoint moves; otherwise they go back to the engine for the next flush.</summary>
    private async Task<bool> CompleteFlushAsync(WalReader reader, PendingFlush flush)
    {
        try
        {
            await flush.Write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreRejectedException or OperationCanceledException)
        {
            engine.RestoreFlush(flush.Rows);
            if (e is OperationCanceledException)
            {
                return false;
            }
            status.OnFlushFailed(e.Message);
            if (e is StoreRejectedException)
            {
                RollupLog.FlushRefused(logger, flush.Rows.Count, e.Message);
            }
            else
            {
                RollupLog.StoreUnavailable(logger, 1, 0, e.Message);
            }
            return false;
        }

        engine.NotePersisted(flush.Rows);
        status.OnFlushed(flush.Position, flush.Rows.Count, Stopwatch.GetElapsedTime(flush.Began).TotalMilliseconds);
        reader.CompleteUntil(flush.Position);
        await reader.PersistCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        if (wal.BacklogBytes > wal.Options.MaxBacklogBytes / 2)
        {
            // Under pressure the drainer truncates to the slowest reader, which may have been this one;
            // do it now rather than at the drainer's next pass (up to its idle interval away).
            wal.TruncateToSlowestCheckpoint();
        }
        return true;
    }

    private async Task ApplyRetentionIfDueAsync(CancellationToken stoppingToken)
    {
        if (Environment.TickCount64 < _nextRetention)
        {
            return;
        }

        _nextRetention = Environment.TickCount64 + (long)RetentionPeriod.TotalMilliseconds;
        int[] days = [hub.Rollups.MinuteRetentionDays, hub.Rollups.HourRetentionDays, hub.Rollups.DayRetentionDays];
        try
        {
            for (int level = 0; level < days.Length; level++)
            {
                if (days[level] > 0)
                {
                    await store.DeleteRollupsOlderThanAsync(RollupEngine.LevelSeconds[level], DateTimeOffset.UtcNow.AddDays(-days[level]), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreRejectedException)
        {
            _nextRetention = Environment.TickCount64 + 60_000;
            RollupLog.RetentionFailed(logger, e.Message);
        }
    }

    internal static long UnixNanosNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}

/// <summary>A flush being written: its rows, the WAL position they include, when it began, and the store's write.</summary>
internal sealed record PendingFlush(List<RollupRow> Rows, long Position, long Began, Task Write);
