using System.Data.Common;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores.Internal;

/// <summary>
/// The rows of a metric query's statement as the ADO.NET stores (PostgreSQL, SQLite) return them:
/// the bucket, the group columns (<see cref="EventQuerySql.GroupSelect"/>), then either one event's
/// value, tokens and error flag (with sketches) or a group's count, sum, sum of squares, min, max,
/// tokens and errors.
/// </summary>
internal static class DbAggregateRows
{
    /// <summary>Adds the reader's current row to <paramref name="cells"/>; <paramref name="width"/> is the number of group columns.</summary>
    public static void Add(DbDataReader reader, GroupColumn[] groups, int width, bool sketches, CellTable cells)
    {
        long bucketStart = reader.GetInt64(0);
        var group = ReadGroup(reader, groups, 1);
        if (sketches)
        {
            cells.AddValue(bucketStart, group, reader.GetDouble(1 + width), reader.GetDouble(2 + width), reader.GetBoolean(3 + width));
        }
        else
        {
            var stats = new BucketStats((ulong)reader.GetInt64(1 + width), reader.GetDouble(2 + width), reader.GetDouble(3 + width), reader.GetDouble(4 + width), reader.GetDouble(5 + width));
            cells.AddAggregate(bucketStart, group, stats, reader.GetDouble(6 + width), (ulong)reader.GetInt64(7 + width));
        }
    }

    private static string[] ReadGroup(DbDataReader reader, GroupColumn[] groups, int first)
    {
        var values = new string[groups.Length];
        int at = first;
        for (int i = 0; i < groups.Length; i++)
        {
            var group = groups[i];
            if (group.Kind != GroupKind.Value)
            {
                values[i] = EventQuerySql.EnumName(group.Kind, reader.GetInt16(at++));
                continue;
            }

            string? text = null;
            double? number = null;
            if (group.Text is not null)
            {
                text = reader.IsDBNull(at) ? null : reader.GetString(at);
                at++;
            }

            if (group.Number is not null)
            {
                number = reader.IsDBNull(at) ? null : reader.GetDouble(at);
                at++;
            }

            values[i] = EventQuerySql.ValueText(text, number);
        }

        return values;
    }
}
