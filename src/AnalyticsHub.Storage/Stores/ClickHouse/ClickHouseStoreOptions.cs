namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>Settings of a <see cref="ClickHouseEventStore"/> (<c>Hub:ClickHouse:*</c>).</summary>
public sealed record ClickHouseStoreOptions
{
    /// <summary>The HTTP interface of the ClickHouse server the store talks to (default <c>http://127.0.0.1:8123</c>).</summary>
    public string Url { get; init; } = "http://127.0.0.1:8123";

    /// <summary>Database holding the tables (default <c>analyticshub</c>); created when missing.</summary>
    public string Database { get; init; } = "analyticshub";

    /// <summary>ClickHouse user (empty: the server's <c>default</c> user). Sent as <c>X-ClickHouse-User</c>.</summary>
    public string User { get; init; } = "";

    /// <summary>Password of <see cref="User"/>. Sent as <c>X-ClickHouse-Key</c>.</summary>
    public string Password { get; init; } = "";

    /// <summary>
    /// Name of a cluster in the servers' <c>remote_servers</c> (empty: one node). When set, rows go to
    /// per-shard <c>events_local</c> tables through a <c>Distributed</c> table <c>events</c>.
    /// </summary>
    public string Cluster { get; init; } = "";

    /// <summary>
    /// HTTP URLs of every node of <see cref="Cluster"/>, for schema changes and partition drops on a
    /// cluster without distributed DDL (no ZooKeeper/Keeper): each statement then runs on each node.
    /// Empty: statements use <c>ON CLUSTER</c>, which needs ZooKeeper.
    /// </summary>
    public IReadOnlyList<string> ClusterNodeUrls { get; init; } = [];

    /// <summary>
    /// Create <c>events_local</c> as <c>ReplicatedMergeTree</c> (needs ZooKeeper and the <c>{shard}</c> and
    /// <c>{replica}</c> macros in each server's config); otherwise plain <c>MergeTree</c>.
    /// </summary>
    public bool Replicated { get; init; }

    /// <summary>Identifies this hub's write-ahead log; every row carries it, and <see cref="ClickHouseEventStore.ResumeAsync"/> looks only at its own rows.</summary>
    public string NodeId { get; init; } = "node-1";

    /// <summary>Longest wait for one request, inserts included (default 60 s); past it the request counts as unavailable.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for a TCP connection (default 5 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for <see cref="ClickHouseEventStore.ProbeAsync"/> (default 2 s).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Days events are kept (default 30; 0 keeps them forever). On servers with TTL it becomes the tables' TTL
    /// (and an existing TTL is changed to it); elsewhere retention is <see cref="ClickHouseEventStore.DeleteOlderThanAsync"/>'s
    /// partition drops, driven by the caller's cutoff.
    /// </summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>
    /// Gzip insert bodies (<c>Content-Encoding: gzip</c>, fastest level). Default (null): on, unless
    /// <see cref="Url"/> is a loopback address. Measured on 1M sample rows (README: Stores/ClickHouse):
    /// gzip costs the hub ~0.1 CPU-s more per million rows (the server about the same) and sends ~9×
    /// fewer bytes; on loopback it was slower (389k vs 414k rows/s), across a network the bytes decide.
    /// </summary>
    public bool? CompressRequests { get; init; }

    /// <summary>Whether inserts are gzipped: <see cref="CompressRequests"/>, or by default whether the server is off this host.</summary>
    internal bool GzipInserts => CompressRequests ?? !BaseUri.IsLoopback;

    internal Uri BaseUri => new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);

    internal bool IsCluster => Cluster.Length > 0;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Url);
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"ClickHouse Url '{Url}' is not an absolute http(s) URL.", nameof(Url));
        }

        foreach (var node in ClusterNodeUrls)
        {
            if (!Uri.TryCreate(node, UriKind.Absolute, out var nodeUri) || (nodeUri.Scheme != Uri.UriSchemeHttp && nodeUri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"ClickHouse ClusterNodeUrls entry '{node}' is not an absolute http(s) URL.", nameof(ClusterNodeUrls));
            }
        }

        // Names are spliced into SQL; allowing only these characters makes quoting unnecessary.
        RequireName(Database, nameof(Database), allowDashAndDot: false);
        RequireName(NodeId, nameof(NodeId), allowDashAndDot: true);
        if (Cluster.Length > 0)
        {
            RequireName(Cluster, nameof(Cluster), allowDashAndDot: true);
        }
        else if (ClusterNodeUrls.Count > 0 || Replicated)
        {
            throw new ArgumentException("ClusterNodeUrls and Replicated need a Cluster name.", nameof(Cluster));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProbeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(RetentionDays);
    }

    private static void RequireName(string value, string name, bool allowDashAndDot)
    {
        bool ok = value.Length is > 0 and <= 128;
        foreach (char c in value)
        {
            ok &= char.IsAsciiLetterOrDigit(c) || c == '_' || (allowDashAndDot && (c == '-' || c == '.'));
        }

        if (!ok)
        {
            throw new ArgumentException(
                $"ClickHouse {name} '{value}' must be 1-128 characters of letters, digits, '_'{(allowDashAndDot ? ", '-', '.'" : "")}.", name);
        }
    }
}
