using System.Globalization;
using System.Text;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>
/// The ClickHouse event store (<c>Hub:Storage:Kind=clickhouse</c>): rows go over the HTTP interface as
/// <c>INSERT … FORMAT RowBinary</c>, encoded straight from the batch's arena; the schema adapts to the
/// server version (<see cref="ClickHouseTableLayout"/>); a cluster is written through
/// <c>Distributed</c> tables.
/// </summary>
/// <remarks>
/// <para>ClickHouse has no transactions, so the store cannot record the drainer's position with the
/// rows: <see cref="ResumeAsync"/> looks the rows up instead. Each insert is preceded by a row in the
/// <c>event_writes</c> journal naming its WAL and event-time ranges, which keeps that lookup to the
/// day partitions the unconfirmed inserts touched (and to nothing when there were none).</para>
/// <para>An insert of up to <c>max_insert_block_size</c> rows (raised to the batch size) is one block:
/// on one node a refused row leaves none of the batch behind. Through a <c>Distributed</c> table each
/// shard gets its own block, so a failure may leave some shards written; the resume lookup sees them.</para>
/// <para>Not thread-safe for writes (one drainer at a time, as <see cref="IEventStore"/> says);
/// <see cref="ProbeAsync"/> may run alongside.</para>
/// </remarks>
public sealed partial class ClickHouseEventStore : IEventStore
{
    private readonly ClickHouseStoreOptions _options;
    private readonly ClickHouseHttp _http;
    private readonly Uri _server;
    private readonly byte[] _nodeBytes;
    private readonly string _database;

    private string _insertQuery = "";
    private string _insertSettings = "";
    private volatile bool _initialized;

    public ClickHouseEventStore(ClickHouseStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _server = options.BaseUri;
        _database = options.Database;
        _nodeBytes = Encoding.UTF8.GetBytes(options.NodeId);
        _http = new ClickHouseHttp(options);
    }

    public string Kind => "clickhouse";

    /// <summary>The server's version, known after <see cref="InitializeAsync"/>.</summary>
    public ClickHouseServerVersion ServerVersion { get; private set; }

    /// <summary>The layout of the <c>events</c> table, read back from the table by <see cref="InitializeAsync"/>.</summary>
    public ClickHouseTableLayout Layout { get; private set; }

    /// <summary>The tables expire rows by TTL, so <see cref="DeleteOlderThanAsync"/> has nothing to do.</summary>
    public bool HasTtl { get; private set; }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    public async Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            string version = await _http.QueryAsync(_server, "SELECT version()", FailureKind.Read, "the probe", cancellationToken, _options.ProbeTimeout).ConfigureAwait(false);
            return StoreProbe.Ok(version.Trim());
        }
        catch (StoreUnavailableException e)
        {
            return StoreProbe.Failed(e.Message);
        }
    }

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the ClickHouse store.");
        }
    }

    /// <summary><c>events</c>/<c>event_writes</c>, or the shard-local table behind it on a cluster.</summary>
    private string StorageTable(string table) => _options.IsCluster ? table + ClickHouseSchema.LocalSuffix : table;

    /// <summary>Where schema changes and partition drops run: this server alone, each listed cluster node, or this server with <c>ON CLUSTER</c>.</summary>
    private (IReadOnlyList<Uri> Nodes, string OnCluster) SchemaTargets()
    {
        if (!_options.IsCluster)
        {
            return ([_server], "");
        }

        return _options.ClusterNodeUrls.Count > 0
            ? (_options.ClusterNodeUrls.Select(u => new Uri(u.EndsWith('/') ? u : u + "/", UriKind.Absolute)).ToArray(), "")
            : ([_server], $" ON CLUSTER `{_options.Cluster}`");
    }

    private static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A UTC time literal of the <c>time</c> column's type.</summary>
    private string TimeLiteral(long unixSeconds)
    {
        string text = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return Layout == ClickHouseTableLayout.Modern ? $"toDateTime64('{text}', 9, 'UTC')" : $"toDateTime('{text}', 'UTC')";
    }
}
