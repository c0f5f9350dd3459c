using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// The INSERT body of one rollup flush in RowBinary: every row, then the checkpoint marker row
/// (<see cref="RollupRowEncoder.WriteMarker"/>), encoded while it is sent (<see cref="RowBinaryContent"/>).
/// </summary>
internal sealed class RollupRowsContent : RowBinaryContent
{
    private readonly IReadOnlyList<RollupRow> _rows;
    private readonly byte[] _node;
    private readonly long _checkpoint;

    // Row index rows.Count is the marker.
    public RollupRowsContent(IReadOnlyList<RollupRow> rows, byte[] node, long checkpoint, bool gzip)
        : base(0, rows.Count + 1, RawLengthOf(rows, node), gzip)
    {
        _rows = rows;
        _node = node;
        _checkpoint = checkpoint;
    }

    protected override int RowSize(int index) =>
        index < _rows.Count ? RollupRowEncoder.RowSize(_rows[index], _node.Length) : RollupRowEncoder.MarkerSize(_node.Length);

    protected override int WriteRow(Span<byte> destination, int index) =>
        index < _rows.Count ? RollupRowEncoder.Write(destination, _rows[index], _node) : RollupRowEncoder.WriteMarker(destination, _node, _checkpoint);

    private static long RawLengthOf(IReadOnlyList<RollupRow> rows, byte[] node)
    {
        long length = RollupRowEncoder.MarkerSize(node.Length);
        for (int i = 0; i < rows.Count; i++)
        {
            length += RollupRowEncoder.RowSize(rows[i], node.Length);
        }

        return length;
    }
}
