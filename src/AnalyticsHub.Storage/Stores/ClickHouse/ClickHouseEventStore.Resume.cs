using System.Globalization;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    /// <summary>
    /// Lists the rows of this node at or after <paramref name="walCheckpoint"/> that are in the table
    /// (<see cref="StoreResume.StoredBefore"/> is the checkpoint itself: nothing before it is claimed).
    /// </summary>
    /// <remarks>
    /// Cost: one read of the small <c>event_writes</c> journal (ordered by node and WAL address, so a
    /// range read); when it names no insert at or past the checkpoint, nothing else. Otherwise one query
    /// on <c>events</c> restricted to the journaled event-time range, so ClickHouse opens only the day
    /// partitions those inserts touched (partition min/max pruning works on every version). On the
    /// Modern layout the <c>wal_address</c> minmax skip index also drops granules below the checkpoint;
    /// 18.16 has no skip indices and reads <c>node</c>/<c>wal_address</c> of those partitions in full.
    /// </remarks>
    public async Task<StoreResume> ResumeAsync(long walCheckpoint, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        long checkpoint = Math.Max(0, walCheckpoint);
        string node = _options.NodeId;

        // An insert of a hub killed mid-write may still be running on the server: what it stores must be
        // visible before we look, or its rows would be written again.
        // (LIKE: '_' in a node id may match another character; waiting a little longer is harmless.)
        await SettleAsync($"query_id LIKE '{InsertQueryIdPrefix}%'").ConfigureAwait(false);
        string journal = await _http.QueryAsync(
            _server,
            $"SELECT count(), toUInt32(min(min_time)), toUInt32(max(max_time)) FROM {_database}.{ClickHouseSchema.WritesTable} " +
            $"WHERE node = '{node}' AND last_address >= {Literal(checkpoint)} FORMAT TabSeparated",
            FailureKind.Read, "the resume journal lookup", cancellationToken).ConfigureAwait(false);
        var fields = journal.Trim().Split('\t');
        if (fields.Length != 3 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long inserts)
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long minSeconds)
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long maxSeconds))
        {
            throw new StoreUnavailableException($"ClickHouse at {_server.GetLeftPart(UriPartial.Authority)} answered the resume journal lookup with '{journal.Trim()}'.");
        }

        if (inserts == 0)
        {
            return StoreResume.Nothing(walCheckpoint);
        }

        string timeFilter = (minSeconds > 0 ? $" AND time >= {TimeLiteral(minSeconds)}" : "")
            + (maxSeconds < uint.MaxValue ? $" AND time < {TimeLiteral(maxSeconds + 1)}" : "");
        string rows = await _http.QueryAsync(
            _server,
            $"SELECT wal_address, wal_index FROM {_database}.{ClickHouseSchema.EventsTable} " +
            $"WHERE node = '{node}' AND wal_address >= {Literal(checkpoint)}{timeFilter} FORMAT TabSeparated",
            FailureKind.Read, "the resume lookup", cancellationToken).ConfigureAwait(false);
        return new StoreResume(new StorePosition(walCheckpoint, 0), ParsePositions(rows));
    }

    // "address\tindex\n" lines, parsed from the spans without a string per line.
    private HashSet<StorePosition> ParsePositions(string text)
    {
        var positions = new HashSet<StorePosition>();
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            int tab = line.IndexOf('\t');
            if (tab < 0
                || !long.TryParse(line[..tab], NumberStyles.None, CultureInfo.InvariantCulture, out long address)
                || !int.TryParse(line[(tab + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                throw new StoreUnavailableException(
                    $"ClickHouse at {_server.GetLeftPart(UriPartial.Authority)} answered the resume lookup with an unexpected line '{line.ToString()}'.");
            }

            positions.Add(new StorePosition(address, index));
        }

        return positions;
    }
}
