using AnalyticsHub.Core.Query;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Stores.Embedded.Internal;
using Microsoft.Data.Sqlite;
using Npgsql;
using static AnalyticsHub.Storage.Tests.Query.QueryTestKit;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>The search statements use the indexes meant for them (never a scan of the table).</summary>
[Collection(QueryStoresCollection.Name)]
public sealed class QueryPlanTests(QueryStoresFixture stores)
{
    [Theory]
    [InlineData(null, "ix_events_tenant_time")]
    [InlineData("trace-5", "ix_events_correlation")]
    public void Embedded_Search_UsesItsIndex(string? correlation, string index)
    {
        var query = Search(filters: Filter(Tag("user_tier"), FilterOperator.Eq, "gold")) with
        {
            CorrelationId = correlation,
            After = new SearchCursor(QueryScenario.End, "ffffffff-ffff-4fff-bfff-ffffffffffff"),
        };
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = stores.Embedded.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        SqliteQuerySql.Register(connection);
        using var command = EmbeddedEventStore.SearchCommand(connection, query, stores.Dimensions, EventQueryLimits.Default);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        string text = string.Join("\n", plan);
        Assert.True(text.Contains("USING INDEX " + index, StringComparison.Ordinal), text + "\n" + command.CommandText);
        Assert.DoesNotContain("SCAN events", text.Replace("SCAN events USING", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_CorrelationSearch_UsesThePartialIndex()
    {
        var query = Search() with { CorrelationId = "trace-5" };
        var (text, sql) = stores.Postgres.SearchStatement(query, stores.Dimensions, EventQueryLimits.Default);
        await using var connection = new NpgsqlConnection(stores.PostgresConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("EXPLAIN " + text, connection);
        command.Parameters.AddRange(sql.Parameters.ToArray());
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        // Partitions have their own copy of the index (events_pYYYYMMDD_tenant_id_correlation_id_time_idx).
        string shown = string.Join("\n", plan);
        Assert.True(shown.Contains("tenant_id_correlation_id_time_idx", StringComparison.Ordinal) && !shown.Contains("tenant_id_time_idx", StringComparison.Ordinal), shown);
    }

    [Fact]
    public async Task Schemas_HaveTheCorrelationIndex()
    {
        await using var connection = new NpgsqlConnection(stores.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE indexname = 'events_tenant_correlation'", connection);
        Assert.EndsWith("public.events USING btree (tenant_id, correlation_id, \"time\") WHERE (correlation_id <> ''::text)", (string?)await command.ExecuteScalarAsync(), StringComparison.Ordinal);

        using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = stores.Embedded.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        sqlite.Open();
        using var version = sqlite.CreateCommand();
        version.CommandText = "SELECT (SELECT sql FROM sqlite_schema WHERE name = 'ix_events_correlation'), (SELECT user_version FROM pragma_user_version)";
        using var row = version.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal("CREATE INDEX ix_events_correlation ON events (tenant_id, correlation_id, time_ns) WHERE correlation_id <> ''", row.GetString(0));
        Assert.Equal(EmbeddedSchema.Version, row.GetInt32(1));
    }
}
