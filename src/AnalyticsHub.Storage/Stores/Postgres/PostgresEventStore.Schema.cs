using Npgsql;

namespace AnalyticsHub.Storage.Stores.Postgres;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Finds what exists and creates what is missing, in one transaction under the schema advisory
    /// lock. Nothing is executed for what already exists: CREATE … IF NOT EXISTS still needs the
    /// right to create, which a role that only writes rows does not have.
    /// </summary>
    private async Task CreateSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.SchemaLockKey})", cancellationToken).ConfigureAwait(false);

        int versionNumber;
        bool timescaleAvailable, hasDefaultPartition, hasTenantIndex, hasSearchIndex, hasCheckpoints, hasCorrelationIndex;
        string? timescaleInstalled, relkind, payloadType;
        await using (var inspect = new NpgsqlCommand(PostgresSchema.Inspect, connection))
        await using (var reader = await inspect.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            versionNumber = reader.GetInt32(0);
            ServerVersion = reader.GetString(1);
            timescaleAvailable = reader.GetBoolean(2);
            timescaleInstalled = reader.IsDBNull(3) ? null : reader.GetString(3);
            relkind = reader.IsDBNull(4) ? null : reader.GetString(4);
            payloadType = reader.IsDBNull(5) ? null : reader.GetString(5);
            hasDefaultPartition = reader.GetBoolean(6);
            hasTenantIndex = reader.GetBoolean(7);
            hasSearchIndex = reader.GetBoolean(8);
            hasCheckpoints = reader.GetBoolean(9);
            hasCorrelationIndex = reader.GetBoolean(10);
        }

        ServerVersionNumber = versionNumber;
        if (versionNumber < 110000)
        {
            throw new StoreRejectedException(
                $"PostgreSQL at {Endpoint} is version {ServerVersion}; the event store needs 11 or later (default partitions, partitioned indexes).",
                "server_version " + ServerVersion);
        }

        bool created = false;
        switch (relkind)
        {
            case null:
                Layout = timescaleAvailable && _options.UseTimescaleDb
                    && await TryEnableTimescaleAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
                    ? PostgresEventsLayout.Hypertable
                    : PostgresEventsLayout.Partitioned;
                await ExecuteAsync(connection, PostgresSchema.CreateEvents(_options.JsonType, Layout == PostgresEventsLayout.Partitioned), cancellationToken).ConfigureAwait(false);
                payloadType = _options.JsonType == PostgresJsonType.Json ? "json" : "jsonb";
                created = true;
                break;
            case "p":
                Layout = PostgresEventsLayout.Partitioned;
                break;
            case "r":
                Layout = timescaleInstalled is not null
                    && await ScalarAsync<bool>(connection, PostgresSchema.IsHypertable, cancellationToken).ConfigureAwait(false)
                    ? PostgresEventsLayout.Hypertable
                    : PostgresEventsLayout.Plain;
                break;
            default:
                throw new StoreRejectedException(
                    $"PostgreSQL at {Endpoint}: relation \"events\" exists but is not a table (relkind '{relkind}'); drop or rename it.",
                    "relkind " + relkind);
        }

        JsonType = payloadType switch
        {
            "jsonb" => PostgresJsonType.Jsonb,
            "json" => PostgresJsonType.Json,
            _ => throw new StoreRejectedException(
                $"PostgreSQL at {Endpoint}: table \"events\" exists without a json/jsonb column \"payload\" (found {payloadType ?? "none"}); it is not this store's table.",
                "payload " + (payloadType ?? "missing")),
        };

        if (Layout == PostgresEventsLayout.Partitioned && !hasDefaultPartition)
        {
            await ExecuteAsync(connection, PostgresSchema.CreateDefaultPartition, cancellationToken).ConfigureAwait(false);
        }
        else if (Layout == PostgresEventsLayout.Hypertable)
        {
            await EnsureHypertableAsync(connection, created, cancellationToken).ConfigureAwait(false);
        }

        if (!hasTenantIndex)
        {
            await ExecuteAsync(connection, PostgresSchema.CreateTenantTimeIndex, cancellationToken).ConfigureAwait(false);
        }

        if (!hasCorrelationIndex)
        {
            await ExecuteAsync(connection, PostgresSchema.CreateCorrelationIndex, cancellationToken).ConfigureAwait(false);
        }

        if (_options.SearchIndex && !hasSearchIndex)
        {
            await ExecuteAsync(connection, PostgresSchema.CreateSearchIndex, cancellationToken).ConfigureAwait(false);
        }

        if (!hasCheckpoints)
        {
            await ExecuteAsync(connection, PostgresSchema.CreateCheckpoints, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hypertable with chunks of one partition interval, compressed (segments by tenant and module) after <see cref="PostgresStoreOptions.CompressAfter"/>.</summary>
    private async Task EnsureHypertableAsync(NpgsqlConnection connection, bool created, CancellationToken cancellationToken)
    {
        if (created)
        {
            await ExecuteAsync(connection, PostgresSchema.CreateHypertable(_options.PartitionMicros), cancellationToken).ConfigureAwait(false);
        }

        if (!await ScalarAsync<bool>(connection, PostgresSchema.CompressionEnabled, cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, PostgresSchema.EnableCompression, cancellationToken).ConfigureAwait(false);
        }

        if (!await ScalarAsync<bool>(connection, PostgresSchema.HasCompressionPolicy, cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, PostgresSchema.AddCompressionPolicy(_options.CompressAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>CREATE EXTENSION inside a savepoint: a server that offers TimescaleDB may still refuse
    /// it (this role may not create it, or the library is not preloaded), and the store then partitions natively.</summary>
    private async Task<bool> TryEnableTimescaleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("timescale", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS timescaledb", cancellationToken).ConfigureAwait(false);
            await transaction.ReleaseAsync("timescale", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (!PostgresFailures.IsTransient(e.SqlState))
        {
            await transaction.RollbackAsync("timescale", cancellationToken).ConfigureAwait(false);
            PostgresStoreLog.TimescaleRefused(_logger, PostgresFailures.ServerMessage(e));
            return false;
        }
    }
}
