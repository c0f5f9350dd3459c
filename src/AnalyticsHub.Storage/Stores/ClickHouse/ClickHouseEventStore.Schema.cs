using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    private static readonly (string Table, string Column)[] TtlColumns =
        [(ClickHouseSchema.EventsTable, "time"), (ClickHouseSchema.WritesTable, "written")];

    /// <summary>
    /// Reads the server version, creates the database and tables when missing (the layout of new
    /// tables follows each node's version), then reads the <c>events</c> table's columns back and
    /// writes in the layout the table actually has (a table created by an older server keeps its layout).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ServerVersion = await VersionAsync(_server, cancellationToken).ConfigureAwait(false);
        if (_options.IsCluster)
        {
            await RequireClusterAsync(cancellationToken).ConfigureAwait(false);
        }

        var (nodes, onCluster) = SchemaTargets();
        foreach (var node in nodes)
        {
            var layout = (node == _server ? ServerVersion : await VersionAsync(node, cancellationToken).ConfigureAwait(false)).LayoutForNewTables;
            foreach (var (sql, what) in SchemaStatements(layout, onCluster))
            {
                await SchemaAsync(node, sql, what, onCluster, cancellationToken).ConfigureAwait(false);
            }
        }

        await ReadLayoutAsync(cancellationToken).ConfigureAwait(false);
        if (Layout == ClickHouseTableLayout.Modern)
        {
            await UpdateTtlAsync(nodes, onCluster, cancellationToken).ConfigureAwait(false);
            HasTtl = _options.RetentionDays > 0;
        }

        var columns = ClickHouseSchema.InsertColumnList(Layout, ClickHouseSchema.EventColumns);
        _insertQuery = $"INSERT INTO {_database}.{ClickHouseSchema.EventsTable} {columns} FORMAT RowBinary";
        _insertSettings = _options.IsCluster ? "insert_distributed_sync=1" : "";
        _initialized = true;
    }

    private IEnumerable<(string Sql, string What)> SchemaStatements(ClickHouseTableLayout layout, string onCluster)
    {
        yield return (ClickHouseSchema.CreateDatabase(_database, onCluster), $"creating database {_database}");
        string events = StorageTable(ClickHouseSchema.EventsTable);
        string writes = StorageTable(ClickHouseSchema.WritesTable);
        yield return (ClickHouseSchema.CreateEventsTable(layout, _database, events, onCluster, _options.Replicated, _options.RetentionDays), $"creating table {_database}.{events}");
        yield return (ClickHouseSchema.CreateWritesTable(layout, _database, writes, onCluster, _options.Replicated, _options.RetentionDays), $"creating table {_database}.{writes}");
        if (_options.IsCluster)
        {
            foreach (var table in (string[])[ClickHouseSchema.EventsTable, ClickHouseSchema.WritesTable])
            {
                yield return (ClickHouseSchema.CreateDistributedTable(_database, table, _options.Cluster, onCluster), $"creating Distributed table {_database}.{table}");
            }
        }
    }

    private async Task<ClickHouseServerVersion> VersionAsync(Uri node, CancellationToken cancellationToken)
    {
        string text = (await _http.QueryAsync(node, "SELECT version()", FailureKind.Schema, "the version query", cancellationToken).ConfigureAwait(false)).Trim();
        return ClickHouseServerVersion.TryParse(text, out var version)
            ? version
            : throw new StoreRejectedException($"ClickHouse at {node.GetLeftPart(UriPartial.Authority)} answered SELECT version() with '{text}', not a version.", text);
    }

    private async Task RequireClusterAsync(CancellationToken cancellationToken)
    {
        string count = await _http.QueryAsync(
            _server, $"SELECT count() FROM system.clusters WHERE cluster = '{_options.Cluster}'", FailureKind.Schema, "the cluster lookup", cancellationToken).ConfigureAwait(false);
        if (count.Trim() == "0")
        {
            string message = $"ClickHouse at {_server.GetLeftPart(UriPartial.Authority)} has no cluster '{_options.Cluster}' in its remote_servers configuration.";
            throw new StoreRejectedException(message, message);
        }
    }

    private async Task SchemaAsync(Uri node, string sql, string what, string onCluster, CancellationToken cancellationToken)
    {
        try
        {
            await _http.QueryAsync(node, sql, FailureKind.Schema, what, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRejectedException e) when (onCluster.Length > 0)
        {
            throw new StoreRejectedException(
                e.Message + " — ON CLUSTER needs distributed DDL (ZooKeeper or ClickHouse Keeper); without it, list every node in Hub:ClickHouse:ClusterNodeUrls and the store runs the DDL on each.",
                e.ServerMessage, e);
        }
    }

    // The columns of the events table as they are, which decide how rows are written.
    private async Task ReadLayoutAsync(CancellationToken cancellationToken)
    {
        var events = await ColumnsAsync(ClickHouseSchema.EventsTable, cancellationToken).ConfigureAwait(false);
        var writes = await ColumnsAsync(ClickHouseSchema.WritesTable, cancellationToken).ConfigureAwait(false);
        var layout = ClickHouseSchema.RecogniseEventsTable(events, out string problem);
        string? badTable = layout is null ? ClickHouseSchema.EventsTable : null;
        if (badTable is null && (problem = ClickHouseSchema.CheckWritesTable(writes)).Length > 0)
        {
            badTable = ClickHouseSchema.WritesTable;
        }

        if (badTable is not null)
        {
            string where = $"ClickHouse table {_database}.{badTable} at {_server.GetLeftPart(UriPartial.Authority)}";
            string message = (badTable == ClickHouseSchema.EventsTable ? events : writes).Count == 0
                ? $"{where} does not exist (with ClusterNodeUrls, Url must be one of the nodes)."
                : $"{where} exists with other columns than this hub writes: {problem}.";
            throw new StoreRejectedException(message, message);
        }

        Layout = layout.GetValueOrDefault(); // not null here: badTable is null
        string engine = await _http.QueryAsync(
            _server,
            $"SELECT engine_full FROM system.tables WHERE database = '{_database}' AND name = '{StorageTable(ClickHouseSchema.EventsTable)}' FORMAT TabSeparatedRaw",
            FailureKind.Schema, "the table lookup", cancellationToken).ConfigureAwait(false);
        // With ON CLUSTER the local table of this server is there; with node URLs this server may be any node.
        HasTtl = engine.Contains(" TTL ", StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        string text = await _http.QueryAsync(
            _server,
            $"SELECT name, type FROM system.columns WHERE database = '{_database}' AND table = '{table}' FORMAT TabSeparatedRaw",
            FailureKind.Schema, $"the column lookup of {_database}.{table}", cancellationToken).ConfigureAwait(false);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                columns[line[..tab]] = line[(tab + 1)..];
            }
        }

        return columns;
    }

    // The retention may have changed since the tables were created (CREATE … IF NOT EXISTS keeps the old TTL): make each local table's TTL match it.
    private async Task UpdateTtlAsync(IReadOnlyList<Uri> nodes, string onCluster, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            foreach (var (table, column) in TtlColumns)
            {
                string local = StorageTable(table);
                string engine = await _http.QueryAsync(
                    node,
                    $"SELECT engine_full FROM system.tables WHERE database = '{_database}' AND name = '{local}' FORMAT TabSeparatedRaw",
                    FailureKind.Schema, "the table lookup", cancellationToken).ConfigureAwait(false);
                bool has = engine.Contains(" TTL ", StringComparison.Ordinal), wanted = _options.RetentionDays > 0;
                if (has == wanted && (!has || engine.Contains($"toIntervalDay({_options.RetentionDays})", StringComparison.Ordinal)))
                {
                    continue;
                }

                // REMOVE TTL needs 20.12+; a server too old for it says so, and the message reaches the operator.
                string alter = _options.RetentionDays > 0 ? "MODIFY " + ClickHouseSchema.Ttl(column, _options.RetentionDays) : "REMOVE TTL";
                await SchemaAsync(
                    node, $"ALTER TABLE {_database}.{local}{onCluster} {alter}",
                    $"changing the TTL of {_database}.{local} to {(_options.RetentionDays > 0 ? _options.RetentionDays + " days" : "none")}",
                    onCluster, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
