using System.Globalization;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    /// <summary>
    /// Retention. Tables with a TTL (<see cref="ClickHouseTableLayout.Modern"/>) expire rows themselves:
    /// returns 0. Otherwise drops every day partition of <c>events</c> and <c>event_writes</c> that lies
    /// wholly before <paramref name="cutoff"/> (on each shard of a cluster) and returns -1; rows of the
    /// cutoff's own day stay until the next day's call.
    /// </summary>
    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        if (HasTtl)
        {
            return 0;
        }

        var (nodes, onCluster) = SchemaTargets();
        string tables = $"'{StorageTable(ClickHouseSchema.EventsTable)}', '{StorageTable(ClickHouseSchema.WritesTable)}'";
        // With ON CLUSTER one drop reaches every shard; the partitions are listed from all of them.
        string parts = onCluster.Length > 0 ? $"cluster('{_options.Cluster}', system, parts)" : "system.parts";
        string list = $"SELECT DISTINCT table, partition FROM {parts} WHERE database = '{_database}' AND table IN ({tables}) AND active FORMAT TabSeparatedRaw";
        foreach (var node in nodes)
        {
            string text = await _http.QueryAsync(node, list, FailureKind.Read, "the partition listing", cancellationToken).ConfigureAwait(false);
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split('\t');
                if (fields.Length == 2 && WhollyBefore(fields[1], cutoff))
                {
                    await _http.QueryAsync(
                        node, $"ALTER TABLE {_database}.{fields[0]}{onCluster} DROP PARTITION {fields[1]}",
                        FailureKind.Read, $"dropping partition {fields[1]} of {_database}.{fields[0]}", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return -1;
    }

    // Partition ids are toYYYYMMDD values: the day's rows are all before the cutoff when the day has ended by then.
    private static bool WhollyBefore(string partition, DateTimeOffset cutoff) =>
        partition.Length == 8
        && DateTime.TryParseExact(partition, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
        && day.AddDays(1) <= cutoff.UtcDateTime;
}
