using System.Diagnostics;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Ingestion;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Ingest;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>
/// Rebuilds admission state from the WAL at startup, before the first request: each producer's
/// recent acknowledgements (so a batch retried across a crash is answered, not stored again) and
/// the event ids received inside the duplicate window.
/// </summary>
public static class IngestRecovery
{
    public static void Restore(WriteAheadLog wal, ProducerSequences producers, EventIdWindow eventIds, TimeSpan duplicateWindow, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        long windowStart = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks - duplicateWindow.Ticks) * 100;
        long monotonicNanos = (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        using var batch = new EventBatch();
        var deadLetters = new List<DeadLetterEntry>();
        var restoredProducers = new HashSet<string>(StringComparer.Ordinal);
        long ids = 0;

        wal.ScanCommitted((record, address) =>
        {
            if (!IngestRecordReader.TryReadInfo(record, out var info))
            {
                IngestLog.UnreadableRecord(logger, address);
                return;
            }

            var producer = record.Slice(info.ProducerId.Offset, info.ProducerId.Length);
            if (!producer.IsEmpty && info.Sequence != 0)
            {
                producers.Restore(producer, info.Sequence, RebuildAck(record, info, deadLetters));
                restoredProducers.Add(System.Text.Encoding.UTF8.GetString(producer));
            }

            if (info.ReceivedUnixNano >= windowStart && info.Accepted > 0)
            {
                batch.Load(record);
                if (EventBatchDecoder.TryDecodeRecord(batch, out _))
                {
                    foreach (ref readonly var row in batch.Rows)
                    {
                        eventIds.TryAdd(batch.Bytes(row.EventId), batch.Bytes(row.TenantId), monotonicNanos);
                        ids++;
                    }
                }
            }
        });

        IngestLog.WalRecovered(logger, wal.Options.Directory, wal.TailAddress - wal.BeginAddress, wal.BeginAddress, wal.TailAddress,
            restoredProducers.Count, ids, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The acknowledgement the batch got, from its record (rejections from its dead letters).</summary>
    private static byte[] RebuildAck(ReadOnlySpan<byte> record, in IngestRecordInfo info, List<DeadLetterEntry> scratch)
    {
        var counts = new AdmissionCounts(info.Accepted, info.Rejected, info.Duplicates);
        if (info.Rejected == 0)
        {
            return BatchAckWriter.Encode(info.Sequence, counts, [], []);
        }

        scratch.Clear();
        IngestRecordReader.TryReadDeadLetters(record, scratch);
        var rejections = scratch.Select(d => new RejectionInfo(d.Index, d.Code, d.Message)).ToArray();
        var eventIds = scratch.Select(d => d.EventId).ToArray();
        return BatchAckWriter.Encode(info.Sequence, counts, rejections, eventIds);
    }
}
