using System.Buffers;
using System.Runtime.CompilerServices;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.Storage.Stores.Postgres;

public sealed partial class PostgresEventStore
{
    private const string CopyCommand = "COPY events (" + PostgresSchema.CopyColumns + ") FROM STDIN (FORMAT BINARY)";

    /// <summary>The jsonb binary format's version byte.</summary>
    private const byte JsonbVersion = 1;

    private static readonly ReadOnlyMemory<byte> s_emptyObject = "{}"u8.ToArray();

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: binary COPY of the rows into <c>events</c>, then this node's row of
    /// <c>drain_checkpoints</c> set to <paramref name="storedBefore"/>, then COMMIT. A failure at any
    /// point leaves neither. Partitions the rows need are created first, each in its own short
    /// transaction (DDL must not hold the parent's lock for the length of a COPY). Text (and json)
    /// columns go to Npgsql as UTF-8 slices of one copy of the batch's arena, jsonb ones as slices
    /// of a buffer in jsonb's wire form: no string and no allocation per value.
    /// </remarks>
    public async Task WriteAsync(StoredEventBatch batch, int start, int count, StorePosition storedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, batch.Count - start);

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var arena = CopyArena(batch);
        var commitSent = new StrongBox<bool>();
        try
        {
            await OnConnectionAsync(async (connection, token) =>
            {
                commitSent.Value = false;
                if (Layout == PostgresEventsLayout.Partitioned)
                {
                    await EnsurePartitionsAsync(connection, batch, start, count, token).ConfigureAwait(false);
                }

                await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                if (count > 0)
                {
                    await CopyRowsAsync(connection, batch, start, count, arena, token).ConfigureAwait(false);
                }

                await using (var upsert = new NpgsqlCommand(PostgresSchema.UpsertCheckpoint, connection, transaction))
                {
                    upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _options.NodeId });
                    upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = storedBefore.Address });
                    upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = storedBefore.Index });
                    await upsert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                commitSent.Value = true;
                await transaction.CommitAsync(token).ConfigureAwait(false);
                return true;
            }, commitSent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            var failure = PostgresFailures.ForWrite(e, Endpoint, $"{count} rows at WAL {FirstPosition(batch, start, count)}");
            if (failure is StoreUnavailableException)
            {
                _dataSource.Clear();
                if (e is PostgresException { SqlState: "42P01" or "42703" })
                {
                    _initialized = false; // a table or column went missing: create the schema again before the next write
                }
            }

            throw failure;
        }
    }

    private async Task CopyRowsAsync(NpgsqlConnection connection, StoredEventBatch batch, int start, int count, ReadOnlyMemory<byte> arena, CancellationToken cancellationToken)
    {
        bool jsonb = JsonType == PostgresJsonType.Jsonb;
        var jsonValues = jsonb ? PrefixJsonb(batch, start, count) : default;
        int jsonCursor = 0;
        var nodeText = _nodeUtf8; // the same on every row
        await using var importer = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken).ConfigureAwait(false);
        importer.Timeout = _options.CommandTimeout;
        for (int i = start; i < start + count; i++)
        {
            // A copy of the row: a ref cannot live across the awaits below.
            StoredEvent row = batch[i];
            SplitUnixNanos(row.TimeUnixNano, out long timeMicros, out short timeNanos);
            SplitUnixNanos(row.ReceivedUnixNano, out long receivedMicros, out short receivedNanos);

            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(timeMicros, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(receivedMicros, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(ToGuid(row.IdHigh, row.IdLow), NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.WalAddress, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(ClampTokens(row.InputTokens), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(ClampTokens(row.OutputTokens), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.WalIndex, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(timeNanos, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(receivedNanos, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.SourceModule, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.EventType, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.Severity, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.PayloadKind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.ValueDimension, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.TenantId), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(nodeText, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.SchemaVersion), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.CorrelationId), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.ParentEventId), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.Environment), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.AssetId), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.Name), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Slice(arena, row.Unit), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            if (jsonb)
            {
                await importer.WriteAsync(NextJsonb(jsonValues, ref jsonCursor, row.TagsJson), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(NextJsonb(jsonValues, ref jsonCursor, row.PayloadJson), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteAsync(JsonSlice(arena, row.TagsJson), NpgsqlDbType.Json, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(JsonSlice(arena, row.PayloadJson), NpgsqlDbType.Json, cancellationToken).ConfigureAwait(false);
            }
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies the batch's text into a buffer the store owns, once per write: Npgsql takes text as
    /// <see cref="ReadOnlyMemory{T}"/>, and the batch hands out spans only.
    /// </summary>
    private ReadOnlyMemory<byte> CopyArena(StoredEventBatch batch)
    {
        int length = batch.ArenaLength;
        if (_arena.Length < length)
        {
            if (_arena.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_arena);
            }

            _arena = ArrayPool<byte>.Shared.Rent(length);
        }

        batch.Text(new ArenaSlice(0, length)).CopyTo(_arena);
        return _arena.AsMemory(0, length);
    }

    /// <summary>
    /// Lays out the rows' tags and payload in jsonb's binary input form — a version byte (1), then
    /// the JSON text — one after the other, in row order, in a buffer the store owns. Written as raw
    /// bytes (binary COPY carries no type per field; the server reads them with jsonb_recv), they
    /// cost no allocation; Npgsql's own jsonb writer allocates ~40 B per value.
    /// </summary>
    private ReadOnlyMemory<byte> PrefixJsonb(StoredEventBatch batch, int start, int count)
    {
        int length = 0;
        foreach (ref readonly var row in batch.Rows.Slice(start, count))
        {
            length += JsonLength(row.TagsJson) + JsonLength(row.PayloadJson) + 2;
        }

        if (_jsonb.Length < length)
        {
            if (_jsonb.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_jsonb);
            }

            _jsonb = ArrayPool<byte>.Shared.Rent(length);
        }

        var target = _jsonb.AsSpan();
        int at = 0;
        foreach (ref readonly var row in batch.Rows.Slice(start, count))
        {
            at = AppendJsonb(batch, row.TagsJson, target, at);
            at = AppendJsonb(batch, row.PayloadJson, target, at);
        }

        return _jsonb.AsMemory(0, length);

        static int JsonLength(ArenaSlice slice) => slice.IsEmpty ? 2 : slice.Length;

        static int AppendJsonb(StoredEventBatch batch, ArenaSlice slice, Span<byte> target, int at)
        {
            target[at++] = JsonbVersion;
            var text = slice.IsEmpty ? s_emptyObject.Span : batch.Text(slice);
            text.CopyTo(target[at..]);
            return at + text.Length;
        }
    }

    /// <summary>The next value <see cref="PrefixJsonb"/> laid out (the same walk over the rows).</summary>
    private static ReadOnlyMemory<byte> NextJsonb(ReadOnlyMemory<byte> values, ref int cursor, ArenaSlice slice)
    {
        int length = 1 + (slice.IsEmpty ? 2 : slice.Length);
        var value = values.Slice(cursor, length);
        cursor += length;
        return value;
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> arena, ArenaSlice slice) => arena.Slice(slice.Offset, slice.Length);

    private static ReadOnlyMemory<byte> JsonSlice(ReadOnlyMemory<byte> arena, ArenaSlice slice) =>
        slice.IsEmpty ? s_emptyObject : arena.Slice(slice.Offset, slice.Length);

    /// <summary>Unix nanoseconds → PostgreSQL timestamptz (microseconds since 2000-01-01 UTC) and the nanoseconds below it (0–999).</summary>
    internal static void SplitUnixNanos(long unixNanos, out long postgresMicros, out short nanos)
    {
        long micros = PostgresPartitions.FloorDiv(unixNanos, 1000);
        nanos = (short)(unixNanos - micros * 1000);
        postgresMicros = micros - PostgresPartitions.PostgresEpochUnixMicros;
    }

    /// <summary>A <see cref="Guid"/> whose UUID text (and Npgsql's big-endian wire form) is the RFC 4122 id in (high, low).</summary>
    internal static Guid ToGuid(ulong high, ulong low) => new(
        (int)(high >> 32), (short)(high >> 16), (short)high,
        (byte)(low >> 56), (byte)(low >> 48), (byte)(low >> 40), (byte)(low >> 32),
        (byte)(low >> 24), (byte)(low >> 16), (byte)(low >> 8), (byte)low);

    private static long ClampTokens(ulong tokens) => tokens > long.MaxValue ? long.MaxValue : (long)tokens;

    private static string FirstPosition(StoredEventBatch batch, int start, int count) =>
        count > 0 && start < batch.Count ? $"{batch[start].WalAddress}#{batch[start].WalIndex}" : "-";
}
