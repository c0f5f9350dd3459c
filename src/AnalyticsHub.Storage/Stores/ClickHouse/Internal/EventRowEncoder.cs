using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using AnalyticsHub.Core.Storage;
using static AnalyticsHub.Storage.Stores.ClickHouse.Internal.RowBinary;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// Writes <see cref="StoredEvent"/> rows in ClickHouse's RowBinary format, in the column order of
/// <see cref="ClickHouseSchema.EventColumns"/>: integers little-endian, <c>UUID</c> as its high then
/// its low 64 bits (each little-endian), <c>String</c> as a LEB128 length and the UTF-8 bytes copied
/// from the batch's arena, <c>DateTime</c> as UInt32 seconds, <c>DateTime64(9)</c> as Int64 nanoseconds.
/// </summary>
internal static class EventRowEncoder
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Bytes of the fixed-size columns; the same in both layouts (Legacy: two UInt32 seconds + two
    /// UInt32 nanoseconds; Modern: two Int64 nanoseconds).</summary>
    private const int FixedBytes =
        8 + 4 + 16          // wal_address, wal_index, event_id
        + 16                // time (+ time_ns), received (+ received_ns)
        + 5                 // source_module, event_type, severity, payload_kind, value_dimension
        + 8 + 8 + 8;        // value, input_tokens, output_tokens

    /// <summary>Exact RowBinary size of <paramref name="row"/> (11 strings: node and the ten text columns).</summary>
    public static int RowSize(in StoredEvent row, int nodeLength) =>
        FixedBytes
        + StringSize(nodeLength) + StringSize(row.TenantId.Length) + StringSize(row.SchemaVersion.Length)
        + StringSize(row.CorrelationId.Length) + StringSize(row.ParentEventId.Length) + StringSize(row.Environment.Length)
        + StringSize(row.AssetId.Length) + StringSize(row.Name.Length) + StringSize(row.Unit.Length)
        + StringSize(row.TagsJson.Length) + StringSize(row.PayloadJson.Length);

    /// <summary>Why <paramref name="row"/> cannot be stored in <paramref name="layout"/>, or null.</summary>
    public static string? Check(in StoredEvent row, ClickHouseTableLayout layout)
    {
        if (row.WalAddress < 0 || row.WalIndex < 0)
        {
            return $"WAL position ({row.WalAddress}, {row.WalIndex}) is negative";
        }

        if (layout == ClickHouseTableLayout.Legacy)
        {
            if (!FitsDateTime(row.TimeUnixNano))
            {
                return $"event time {row.TimeUnixNano} ns is outside ClickHouse DateTime (1970-01-01 to 2106-02-07)";
            }

            if (!FitsDateTime(row.ReceivedUnixNano))
            {
                return $"receive time {row.ReceivedUnixNano} ns is outside ClickHouse DateTime (1970-01-01 to 2106-02-07)";
            }
        }

        return null;
    }

    /// <summary>Whole seconds of a nanosecond time (floor), as a <c>DateTime</c> column holds it.</summary>
    public static long Seconds(long unixNano) => unixNano >= 0 ? unixNano / NanosPerSecond : ((unixNano + 1) / NanosPerSecond) - 1;

    /// <summary>Writes <paramref name="row"/> at the start of <paramref name="destination"/> (at least <see cref="RowSize"/> bytes) and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, StoredEventBatch batch, in StoredEvent row, ReadOnlySpan<byte> node, ClickHouseTableLayout layout)
    {
        int at = 0;
        WriteString(destination, ref at, node);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], (ulong)row.WalAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(at + 8)..], (uint)row.WalIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 12)..], row.IdHigh);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 20)..], row.IdLow);
        at += 28;
        WriteString(destination, ref at, batch.Text(row.TenantId));
        WriteTime(destination, ref at, row.TimeUnixNano, layout);
        WriteTime(destination, ref at, row.ReceivedUnixNano, layout);
        var enums = destination.Slice(at, 5);
        enums[0] = (byte)row.SourceModule;
        enums[1] = (byte)row.EventType;
        enums[2] = (byte)row.Severity;
        enums[3] = (byte)row.PayloadKind;
        enums[4] = (byte)row.ValueDimension;
        at += 5;
        WriteString(destination, ref at, batch.Text(row.SchemaVersion));
        WriteString(destination, ref at, batch.Text(row.CorrelationId));
        WriteString(destination, ref at, batch.Text(row.ParentEventId));
        WriteString(destination, ref at, batch.Text(row.Environment));
        WriteString(destination, ref at, batch.Text(row.AssetId));
        WriteString(destination, ref at, batch.Text(row.Name));
        BinaryPrimitives.WriteDoubleLittleEndian(destination[at..], row.Value);
        at += 8;
        WriteString(destination, ref at, batch.Text(row.Unit));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], row.InputTokens);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 8)..], row.OutputTokens);
        at += 16;
        WriteString(destination, ref at, batch.Text(row.TagsJson));
        WriteString(destination, ref at, batch.Text(row.PayloadJson));
        return at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTime(Span<byte> destination, ref int at, long unixNano, ClickHouseTableLayout layout)
    {
        if (layout == ClickHouseTableLayout.Modern)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[at..], unixNano);
            at += 8;
            return;
        }

        long seconds = Seconds(unixNano);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[at..], (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(at + 4)..], (uint)(unixNano - (seconds * NanosPerSecond)));
        at += 8;
    }

    private static bool FitsDateTime(long unixNano) => unixNano >= 0 && Seconds(unixNano) <= uint.MaxValue;
}
