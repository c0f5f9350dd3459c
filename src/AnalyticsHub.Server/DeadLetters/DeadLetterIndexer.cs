using AnalyticsHub.Protocol.Ingest;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.DeadLetters;

/// <summary>
/// Copies dead letters from the WAL (where they became durable with their batch) into the
/// queryable <see cref="DeadLetterStore"/>, as WAL reader <c>dead-letters</c>. Its checkpoint is
/// persisted only after the store committed, and re-adding is idempotent, so a crash at any
/// point loses or doubles nothing.
/// </summary>
public sealed class DeadLetterIndexer(WriteAheadLog wal, DeadLetterStore store, ILogger<DeadLetterIndexer> logger) : BackgroundService
{
    public const string ReaderName = "dead-letters";

    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>WAL address below which every dead letter is in the store.</summary>
    public long IndexedUntil => Volatile.Read(ref _indexedUntil);

    private long _indexedUntil;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var reader = wal.OpenReader(ReaderName);
        Volatile.Write(ref _indexedUntil, reader.CheckpointAddress);
        var letters = new List<DeadLetter>();
        var entries = new List<DeadLetterEntry>();
        var lastCheckpoint = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await ReadOrPersistWhenIdleAsync(reader, stoppingToken).ConfigureAwait(false);
                if (batch is null)
                {
                    lastCheckpoint = DateTime.UtcNow;
                    continue; // idle: the checkpoint was persisted, so WAL truncation is not held back
                }

                if (batch.Count == 0)
                {
                    return; // the log closed
                }

                letters.Clear();
                for (int i = 0; i < batch.Count; i++)
                {
                    Collect(batch[i], letters, entries);
                }

                while (letters.Count > 0)
                {
                    try
                    {
                        store.Add(letters);
                        break;
                    }
                    catch (DeadLetterStoreUnavailableException e)
                    {
                        DeadLetterLog.StoreFailed(logger, e.Message);
                        await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                    }
                }

                reader.CompleteUntil(batch.NextAddress);
                Volatile.Write(ref _indexedUntil, batch.NextAddress);
                if (DateTime.UtcNow - lastCheckpoint >= CheckpointInterval)
                {
                    await reader.PersistCheckpointAsync(stoppingToken).ConfigureAwait(false);
                    lastCheckpoint = DateTime.UtcNow;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is WalUnavailableException or ObjectDisposedException)
            {
                DeadLetterLog.WalFailed(logger, e.Message);
                return;
            }
            catch (Exception e)
            {
                // Never take the host down: ingestion goes on and readiness reports the WAL.
                DeadLetterLog.WalFailed(logger, e.ToString());
                return;
            }
        }

        try
        {
            await reader.PersistCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WalUnavailableException or ObjectDisposedException or IOException)
        {
            DeadLetterLog.WalFailed(logger, e.Message);
        }
    }

    /// <summary>
    /// The next records; or, when none arrive within a checkpoint interval while some completed
    /// work is not persisted, null after persisting it (truncation stops at the slowest persisted
    /// checkpoint, so an idle reader must not sit on an old one).
    /// </summary>
    private static async Task<WalBatch?> ReadOrPersistWhenIdleAsync(WalReader reader, CancellationToken stoppingToken)
    {
        if (reader.CompletedUntilAddress == reader.CheckpointAddress)
        {
            return await reader.ReadBatchAsync(256, stoppingToken).ConfigureAwait(false);
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(CheckpointInterval);
        try
        {
            return await reader.ReadBatchAsync(256, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            await reader.PersistCheckpointAsync(stoppingToken).ConfigureAwait(false);
            return null;
        }
    }

    private static void Collect(WalRecord record, List<DeadLetter> letters, List<DeadLetterEntry> scratch)
    {
        var data = record.Data.Span;
        if (!IngestRecordReader.TryReadInfo(data, out var info) || info.Rejected == 0)
        {
            return;
        }

        scratch.Clear();
        IngestRecordReader.TryReadDeadLetters(data, scratch);
        var received = DateTimeOffset.UnixEpoch.AddTicks(info.ReceivedUnixNano / 100);
        var producer = System.Text.Encoding.UTF8.GetString(data.Slice(info.ProducerId.Offset, info.ProducerId.Length));
        foreach (var entry in scratch)
        {
            letters.Add(new DeadLetter(0, received, entry.TenantId.Length == 0 ? "default" : entry.TenantId, entry.SourceModule,
                entry.EventId, entry.Code, entry.Message, producer, info.Sequence, entry.Index, entry.Event, record.Address));
        }
    }
}

/// <summary>Log messages of the dead-letter log (event ids 300–399).</summary>
internal static partial class DeadLetterLog
{
    [LoggerMessage(300, LogLevel.Error, "Dead-letter store write failed (will retry): {Reason}")]
    public static partial void StoreFailed(ILogger logger, string reason);

    [LoggerMessage(301, LogLevel.Error, "Dead-letter indexer stopped: the write-ahead log failed: {Reason}")]
    public static partial void WalFailed(ILogger logger, string reason);
}
