using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    /// <summary>ClickHouse's default <c>max_insert_block_size</c>: an insert of more rows is raised to one block.</summary>
    private const int DefaultInsertBlockRows = 1_048_576;

    private static readonly TimeSpan SettlePollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MinSettleTime = TimeSpan.FromSeconds(10);

    /// <summary>Every insert of this node carries a query id starting so (node ids are letters, digits, '-', '_', '.').</summary>
    private string InsertQueryIdPrefix => $"hub-insert-{_options.NodeId}-";

    /// <summary>
    /// Journals the insert in <c>event_writes</c>, then sends the rows as one
    /// <c>INSERT … FORMAT RowBinary</c>. <paramref name="storedBefore"/> is not recorded: without
    /// transactions <see cref="ResumeAsync"/> finds the rows themselves.
    /// </summary>
    /// <exception cref="StoreRejectedException">A row cannot be held by the table's types (checked before
    /// sending), or the server refused the data; <see cref="StoreRejectedException.ServerMessage"/> has its words.</exception>
    /// <exception cref="StoreUnavailableException">Unreachable, too slow, or a server error worth retrying.</exception>
    public async Task WriteAsync(StoredEventBatch batch, int start, int count, StorePosition storedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, batch.Count, nameof(count));
        EnsureInitialized();
        cancellationToken.ThrowIfCancellationRequested();
        if (count == 0)
        {
            return;
        }

        var range = Measure(batch, start, count);
        string what = $"the insert of {count} rows into {_database}.{ClickHouseSchema.EventsTable}";

        // First the journal row, so that any row of this insert that lands is found by a resume.
        string journal =
            $"INSERT INTO {_database}.{ClickHouseSchema.WritesTable} (node, first_address, last_address, rows, min_time, max_time, written) " +
            $"SELECT '{_options.NodeId}', toUInt64({Literal(range.FirstAddress)}), toUInt64({Literal(range.LastAddress)}), toUInt32({Literal(count)}), " +
            $"toDateTime({Literal(range.MinSeconds)}), toDateTime({Literal(range.MaxSeconds)}), now()";
        await _http.QueryAsync(_server, journal, FailureKind.Write, "the insert journal", cancellationToken, settings: _insertSettings).ConfigureAwait(false);

        // The id lets a failed call wait until the server is done with the insert (see SettleAsync).
        string queryId = $"{InsertQueryIdPrefix}{Guid.NewGuid():N}";
        var settings = new List<string>(4) { "query_id=" + queryId };
        if (count > DefaultInsertBlockRows)
        {
            settings.Add($"max_insert_block_size={count}"); // one block: all or nothing on one node
        }

        if (_insertSettings.Length > 0)
        {
            settings.Add(_insertSettings);
        }

        if (_options.GzipInserts)
        {
            settings.Add("enable_http_compression=1");
        }

        using var content = new EventRowsContent(batch, start, count, _nodeBytes, Layout, range.Bytes, _options.GzipInserts);
        try
        {
            await _http.InsertAsync(_server, _insertQuery, string.Join('&', settings), content, what, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            await SettleAsync($"query_id = '{queryId}'").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// After a timeout or a dropped connection the server may still be writing the rows it received.
    /// Waits (up to <see cref="ClickHouseStoreOptions.RequestTimeout"/>, at least 10 s) until the insert is no longer in
    /// <c>system.processes</c>, so that a <see cref="ResumeAsync"/> right after this failure sees every row
    /// the insert stored. Gives up quietly when the server cannot be asked.
    /// </summary>
    private async Task SettleAsync(string processFilter)
    {
        var deadline = DateTime.UtcNow + (_options.RequestTimeout > MinSettleTime ? _options.RequestTimeout : MinSettleTime);
        string sql = $"SELECT count() FROM system.processes WHERE {processFilter}";
        try
        {
            while (DateTime.UtcNow < deadline
                && (await _http.QueryAsync(_server, sql, FailureKind.Read, "the insert status", CancellationToken.None, _options.ProbeTimeout).ConfigureAwait(false)).Trim() != "0")
            {
                await Task.Delay(SettlePollInterval).ConfigureAwait(false);
            }
        }
        catch (StoreUnavailableException)
        {
            // Unreachable: nothing more to learn; the caller's failure stands.
        }
    }

    /// <summary>
    /// One pass over the rows before anything is sent: the body's exact length, the WAL and time ranges
    /// for the journal, and a refusal of rows the table's types cannot hold (a partly sent body would
    /// otherwise be cut off mid-row).
    /// </summary>
    private BatchRange Measure(StoredEventBatch batch, int start, int count)
    {
        var rows = batch.Rows.Slice(start, count);
        long bytes = 0;
        long firstAddress = long.MaxValue, lastAddress = long.MinValue, minTime = long.MaxValue, maxTime = long.MinValue;
        foreach (ref readonly var row in rows)
        {
            if (EventRowEncoder.Check(row, Layout) is { } problem)
            {
                string message = $"The event at WAL position ({row.WalAddress}, {row.WalIndex}) cannot be stored in ClickHouse: {problem}.";
                throw new StoreRejectedException(message, message);
            }

            bytes += EventRowEncoder.RowSize(row, _nodeBytes.Length);
            firstAddress = Math.Min(firstAddress, row.WalAddress);
            lastAddress = Math.Max(lastAddress, row.WalAddress);
            minTime = Math.Min(minTime, row.TimeUnixNano);
            maxTime = Math.Max(maxTime, row.TimeUnixNano);
        }

        // The journal's DateTime holds 1970–2106; a resume reads an end at either limit as open.
        return new BatchRange(
            bytes, firstAddress, lastAddress,
            Math.Clamp(EventRowEncoder.Seconds(minTime), 0, uint.MaxValue), Math.Clamp(EventRowEncoder.Seconds(maxTime), 0, uint.MaxValue));
    }

    private readonly record struct BatchRange(long Bytes, long FirstAddress, long LastAddress, long MinSeconds, long MaxSeconds);
}
