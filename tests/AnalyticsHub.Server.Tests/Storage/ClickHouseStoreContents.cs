using System.Globalization;
using System.Text;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// Reads the ClickHouse store's <c>{database}.events</c> table over ClickHouse's HTTP interface
/// with a plain <see cref="HttpClient"/> and SQL, independently of the store code: event id (the
/// <c>UUID</c> column, as ClickHouse prints it) → how many rows hold it, and the row count. Before
/// the hub created the database or the table there is nothing: empty results, not errors.
/// </summary>
internal static class ClickHouseStoreContents
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static async Task<Dictionary<Guid, int>> ReadAsync(string httpUrl, string database)
    {
        var counts = new Dictionary<Guid, int>();
        string? text = await QueryOrNullAsync(httpUrl, $"SELECT toString(event_id) FROM {database}.events FORMAT TabSeparated");
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var id = Guid.Parse(line, CultureInfo.InvariantCulture);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    /// <summary>Rows in <c>events</c> (0 before the table exists).</summary>
    public static async Task<long> CountAsync(string httpUrl, string database)
    {
        string? text = await QueryOrNullAsync(httpUrl, $"SELECT count() FROM {database}.events FORMAT TabSeparated");
        return text is null ? 0 : long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the hub has created <c>{database}.{table}</c>.</summary>
    public static async Task<bool> TableExistsAsync(string httpUrl, string database, string table = "events") =>
        (await QueryAsync(httpUrl, $"SELECT count() FROM system.tables WHERE database = '{database}' AND name = '{table}' FORMAT TabSeparated")).Trim() == "1";

    /// <summary>
    /// Waits until the server runs no <c>INSERT INTO {database}.…</c> (<c>system.processes</c>): after the
    /// hub was killed, an insert whose body had been sent may still be landing.
    /// </summary>
    public static Task WaitForInsertsToFinishAsync(string httpUrl, string database, TimeSpan timeout)
    {
        string running = "";
        return Ingestion.Poll.UntilAsync(
            async () => (running = (await QueryAsync(httpUrl,
                $"SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO {database}.%' FORMAT TabSeparated")).Trim()) == "0",
            timeout, () => $"{running} inserts into {database} still running");
    }

    /// <summary>
    /// Waits until the hub reports nothing left to drain (<c>/readyz</c> backlog 0: no write can
    /// still be coming) and the table holds at least <paramref name="expectedRows"/> rows — or until
    /// it has reported nothing left to drain for 10 s with fewer rows (lost events: the caller's
    /// assertions then say which). Returns the row count.
    /// </summary>
    public static async Task<long> WaitUntilDrainedAsync(HubProcess hub, string httpUrl, string database, long expectedRows, TimeSpan timeout, Func<string> describe)
    {
        var settled = TimeSpan.FromSeconds(10);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? drainedSince = null;
        HubReadiness readiness = null!;
        long rows = 0;
        await Ingestion.Poll.UntilAsync(async () =>
        {
            await Task.Delay(100);
            readiness = await HubReadiness.GetAsync(hub);
            rows = await CountAsync(httpUrl, database);
            drainedSince = readiness.BacklogBytes == 0 ? drainedSince ?? clock.Elapsed : null;
            return drainedSince is { } since && (rows >= expectedRows || clock.Elapsed - since >= settled);
        }, timeout, () => $"ClickHouse holds {rows:N0} rows of {expectedRows:N0} expected: {readiness}\n{describe()}");
        return rows;
    }

    /// <summary>
    /// Fails naming expected ids missing, ids stored more than once, and (when
    /// <paramref name="complete"/>: the expected ids are everything that may be stored) ids nobody
    /// expected.
    /// </summary>
    public static void AssertEachOnce(Dictionary<Guid, int> stored, IReadOnlyCollection<Guid> expected, string what, bool complete = false) =>
        StoredIds.AssertEachOnce(stored, expected, what, "ClickHouse", complete);

    /// <summary>Runs SQL (POST, <c>wait_end_of_query=1</c>); throws with the server's text on an error status.</summary>
    public static async Task<string> QueryAsync(string httpUrl, string sql)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        using var response = await Http.PostAsync(httpUrl + "/?wait_end_of_query=1", content);
        string body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"ClickHouse {httpUrl} answered {(int)response.StatusCode} to [{sql}]: {body.Trim()}");
    }

    /// <summary>As <see cref="QueryAsync"/>, but null when the database or table does not exist (yet).</summary>
    private static async Task<string?> QueryOrNullAsync(string httpUrl, string sql)
    {
        try
        {
            return await QueryAsync(httpUrl, sql);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("Code: 60,", StringComparison.Ordinal) || e.Message.Contains("Code: 81,", StringComparison.Ordinal)
            || e.Message.Contains("Code: 60.", StringComparison.Ordinal) || e.Message.Contains("Code: 81.", StringComparison.Ordinal))
        {
            return null; // UNKNOWN_TABLE / UNKNOWN_DATABASE
        }
    }
}
