using System.Text;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>
/// Turns a <see cref="DeadLetterQuery"/> into a parameterised SELECT. Only constant SQL
/// fragments are appended; every value the caller gave travels as a parameter.
/// </summary>
internal static class DeadLetterFilter
{
    /// <summary>Fills <paramref name="command"/> with the page query: rows after
    /// <paramref name="afterId"/> matching the filters, ascending id, at most
    /// <paramref name="take"/> rows.</summary>
    public static void Build(SqliteCommand command, DeadLetterQuery query, long afterId, int take)
    {
        var sql = new StringBuilder(DeadLetterSchema.SelectColumns).Append(" WHERE id > $after");
        command.Parameters.AddWithValue("$after", afterId);
        AddEquals(command, sql, "tenant_id", "$tenant_id", query.TenantId);
        AddEquals(command, sql, "code", "$code", query.Code);
        AddEquals(command, sql, "event_id", "$event_id", query.EventId);
        AddEquals(command, sql, "producer_id", "$producer_id", query.ProducerId);
        if (query.SourceModule is { } module)
        {
            sql.Append(" AND source_module = $source_module");
            command.Parameters.AddWithValue("$source_module", (int)module);
        }
        if (query.From is { } from)
        {
            sql.Append(" AND received_at >= $from");
            command.Parameters.AddWithValue("$from", DeadLetterSchema.ToTicks(from));
        }
        if (query.To is { } to)
        {
            sql.Append(" AND received_at < $to");
            command.Parameters.AddWithValue("$to", DeadLetterSchema.ToTicks(to));
        }
        if (query.Replayed is { } replayed)
        {
            sql.Append(replayed ? " AND replayed_at IS NOT NULL" : " AND replayed_at IS NULL");
        }
        sql.Append(" ORDER BY id LIMIT $take");
        command.Parameters.AddWithValue("$take", take);
        command.CommandText = sql.ToString();
    }

    private static void AddEquals(SqliteCommand command, StringBuilder sql, string column, string parameter, string? value)
    {
        if (value is null)
        {
            return;
        }
        sql.Append(" AND ").Append(column).Append(" = ").Append(parameter);
        command.Parameters.AddWithValue(parameter, value);
    }
}
