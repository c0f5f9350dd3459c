using System.Text;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Storage.Wal;
using RecordBatch = AnalyticsHub.Core.Events.EventBatch;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// What a stopped hub's write-ahead log holds: every committed record decoded as the hub
/// decodes it (<see cref="EventBatchDecoder.TryDecodeRecord"/>), its accepted event ids counted.
/// The log is opened only for the read and closed again: one process at a time may hold it.
/// </summary>
internal sealed class WalContents
{
    private WalContents(Dictionary<string, int> eventIds, long records)
    {
        EventIds = eventIds;
        Records = records;
    }

    /// <summary>Event id → how many times it is stored.</summary>
    public Dictionary<string, int> EventIds { get; }

    public long Records { get; }

    /// <summary>The hub's <c>Hub:Wal</c> geometry: it must match the one the log was written with.</summary>
    public static async Task<WalContents> ReadAsync(string dataDir, int pageSizeBits = 23, int memorySizeBits = 26, int segmentSizeBits = 28)
    {
        var wal = WriteAheadLog.Open(new WalOptions
        {
            Directory = Path.Combine(dataDir, "wal"),
            PageSizeBits = pageSizeBits,
            MemorySizeBits = memorySizeBits,
            SegmentSizeBits = segmentSizeBits,
        });
        try
        {
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            using var batch = new RecordBatch();
            long records = wal.ScanCommitted((record, address) =>
            {
                batch.Load(record);
                if (!EventBatchDecoder.TryDecodeRecord(batch, out var error))
                {
                    throw new InvalidDataException($"The WAL record at address {address} does not decode: {error}");
                }

                foreach (ref readonly var row in batch.Rows)
                {
                    var id = Encoding.UTF8.GetString(batch.Bytes(row.EventId));
                    ids[id] = ids.GetValueOrDefault(id) + 1;
                }
            });
            return new WalContents(ids, records);
        }
        finally
        {
            await wal.DisposeAsync();
        }
    }

    /// <summary>Fails naming every expected id that is missing or stored more than once, and every id stored twice at all.</summary>
    public void AssertEachOnce(IEnumerable<string> expected, string what)
    {
        var missing = new List<string>();
        var repeated = new List<string>();
        int count = 0;
        foreach (var id in expected)
        {
            count++;
            switch (EventIds.GetValueOrDefault(id))
            {
                case 0:
                    missing.Add(id);
                    break;
                case > 1:
                    repeated.Add($"{id}×{EventIds[id]}");
                    break;
            }
        }

        var storedTwice = EventIds.Where(e => e.Value > 1).Select(e => $"{e.Key}×{e.Value}").ToList();
        if (missing.Count > 0 || repeated.Count > 0 || storedTwice.Count > 0)
        {
            Assert.Fail(
                $"{what}: of {count:N0} expected events, {missing.Count:N0} are missing from the WAL and {repeated.Count:N0} are stored more than once " +
                $"({EventIds.Count:N0} distinct ids in {Records:N0} records; {storedTwice.Count:N0} ids stored twice overall).\n" +
                $"missing (first 10): {string.Join(", ", missing.Take(10))}\n" +
                $"stored more than once (first 10): {string.Join(", ", storedTwice.Take(10))}");
        }
    }
}
