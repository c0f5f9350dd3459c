using System.Buffers.Binary;
using AnalyticsHub.Core.Rollups;
using static AnalyticsHub.Storage.Stores.ClickHouse.Internal.RowBinary;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// Writes rollup rows in RowBinary, in the column order of <see cref="ClickHouseRollupSchema.Columns"/>:
/// strings as a LEB128 length and UTF-8 bytes, integers and floats little-endian. Also writes the
/// flush's checkpoint marker row (<see cref="WriteMarker"/>).
/// </summary>
internal static class RollupRowEncoder
{
    /// <summary>source_module, event_type (UInt8), resolution (UInt32), bucket (Int64), part, count (UInt64),
    /// sum, sum_sq, min, max, tokens (Float64), errors, version (UInt64).</summary>
    private const int FixedBytes = 1 + 1 + 4 + 8 + 8 + 8 + (5 * 8) + 8 + 8;

    /// <summary>Exact RowBinary size of <paramref name="row"/> written with a node of <paramref name="nodeLength"/> UTF-8 bytes.</summary>
    public static int RowSize(RollupRow row, int nodeLength) =>
        FixedBytes + StringSize(nodeLength) + StringSize(Utf8.GetByteCount(row.TenantId)) + StringSize(Utf8.GetByteCount(row.Metric))
        + StringSize(Utf8.GetByteCount(row.SeriesKey)) + StringSize(row.Sketch.Length);

    /// <summary>Size of the marker row (<see cref="WriteMarker"/>).</summary>
    public static int MarkerSize(int nodeLength) =>
        FixedBytes + StringSize(nodeLength) + StringSize(0) + StringSize(0) + StringSize(ClickHouseRollupSchema.CheckpointSeriesKeyUtf8.Length) + StringSize(0);

    /// <summary>Writes <paramref name="row"/> at the start of <paramref name="destination"/> (at least <see cref="RowSize"/> bytes); returns the bytes written.</summary>
    public static int Write(Span<byte> destination, RollupRow row, ReadOnlySpan<byte> node)
    {
        int at = 0;
        BucketStats stats = row.Stats;
        WriteString(destination, ref at, node);
        WriteString(destination, ref at, row.TenantId);
        WriteString(destination, ref at, row.Metric);
        WriteString(destination, ref at, row.SeriesKey);
        WriteFixed(destination, ref at, (byte)row.SourceModule, (byte)row.EventType, (uint)row.ResolutionSeconds, row.Bucket, (ulong)row.Part,
            stats.Count, stats.Sum, stats.SumOfSquares, stats.Min, stats.Max, row.Tokens, row.Errors);
        WriteString(destination, ref at, row.Sketch);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], (ulong)row.Version);
        return at + 8;
    }

    /// <summary>
    /// The checkpoint marker: tenant '', metric '', series key <see cref="ClickHouseRollupSchema.CheckpointSeriesKey"/>,
    /// resolution 0, bucket 0, part 0, zero stats, empty sketch, version <paramref name="checkpoint"/>.
    /// </summary>
    public static int WriteMarker(Span<byte> destination, ReadOnlySpan<byte> node, long checkpoint)
    {
        int at = 0;
        WriteString(destination, ref at, node);
        WriteString(destination, ref at, []);
        WriteString(destination, ref at, []);
        WriteString(destination, ref at, ClickHouseRollupSchema.CheckpointSeriesKeyUtf8);
        WriteFixed(destination, ref at, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        WriteString(destination, ref at, []);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], (ulong)checkpoint);
        return at + 8;
    }

    private static void WriteFixed(
        Span<byte> destination, ref int at, byte module, byte type, uint resolution, long bucket, ulong part,
        ulong count, double sum, double sumOfSquares, double min, double max, double tokens, ulong errors)
    {
        var span = destination.Slice(at, FixedBytes - 8);
        span[0] = module;
        span[1] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(span[2..], resolution);
        BinaryPrimitives.WriteInt64LittleEndian(span[6..], bucket);
        BinaryPrimitives.WriteUInt64LittleEndian(span[14..], part);
        BinaryPrimitives.WriteUInt64LittleEndian(span[22..], count);
        BinaryPrimitives.WriteDoubleLittleEndian(span[30..], sum);
        BinaryPrimitives.WriteDoubleLittleEndian(span[38..], sumOfSquares);
        BinaryPrimitives.WriteDoubleLittleEndian(span[46..], min);
        BinaryPrimitives.WriteDoubleLittleEndian(span[54..], max);
        BinaryPrimitives.WriteDoubleLittleEndian(span[62..], tokens);
        BinaryPrimitives.WriteUInt64LittleEndian(span[70..], errors);
        at += FixedBytes - 8;
    }
}
