using AnalyticsHub.Core.Storage;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// An INSERT body of rows [start, start + count) of a batch in RowBinary (<see cref="EventRowEncoder"/>),
/// encoded while it is sent (<see cref="RowBinaryContent"/>).
/// </summary>
/// <remarks>The batch must stay untouched until the request completes: a retry encodes the rows again.</remarks>
internal sealed class EventRowsContent : RowBinaryContent
{
    private readonly StoredEventBatch _batch;
    private readonly byte[] _node;
    private readonly ClickHouseTableLayout _layout;

    public EventRowsContent(StoredEventBatch batch, int start, int count, byte[] node, ClickHouseTableLayout layout, long rawLength, bool gzip)
        : base(start, start + count, rawLength, gzip)
    {
        _batch = batch;
        _node = node;
        _layout = layout;
    }

    protected override int RowSize(int index) => EventRowEncoder.RowSize(_batch.Rows[index], _node.Length);

    protected override int WriteRow(Span<byte> destination, int index) =>
        EventRowEncoder.Write(destination, _batch, _batch.Rows[index], _node, _layout);
}
