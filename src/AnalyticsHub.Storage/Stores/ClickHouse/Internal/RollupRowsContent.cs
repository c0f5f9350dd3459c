using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// The INSERT body of one rollup flush in RowBinary: every row, then the checkpoint marker row
/// (<see cref="RollupRowEncoder.WriteMarker"/>), encoded while it is sent into one pooled chunk that is
/// reused (as <see cref="EventRowsContent"/> does for events). The raw length is known in advance
/// (<c>Content-Length</c>); a gzip body is sent chunked.
/// </summary>
internal sealed class RollupRowsContent : HttpContent
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly IReadOnlyList<RollupRow> _rows;
    private readonly byte[] _node;
    private readonly long _checkpoint;
    private readonly long _rawLength;
    private readonly bool _gzip;

    public RollupRowsContent(IReadOnlyList<RollupRow> rows, byte[] node, long checkpoint, bool gzip)
    {
        _rows = rows;
        _node = node;
        _checkpoint = checkpoint;
        _gzip = gzip;
        long length = RollupRowEncoder.MarkerSize(node.Length);
        for (int i = 0; i < rows.Count; i++)
        {
            length += RollupRowEncoder.RowSize(rows[i], node.Length);
        }

        _rawLength = length;
        Headers.ContentType = OctetStream;
        if (gzip)
        {
            Headers.ContentEncoding.Add("gzip");
        }
    }

    /// <summary>Bytes of the uncompressed body.</summary>
    public long RawLength => _rawLength;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(EventRowsContent.ChunkSize);
        Stream target = _gzip ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
        try
        {
            int next = 0;
            bool markerWritten = false;
            while (!markerWritten)
            {
                int used = Fill(ref chunk, ref next, ref markerWritten);
                await target.WriteAsync(chunk.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            }

            if (_gzip)
            {
                await target.DisposeAsync().ConfigureAwait(false); // writes the gzip trailer
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _rawLength;
        return !_gzip;
    }

    // Encodes rows from `next` until the chunk is full, then the marker once every row is in; a row
    // larger than a chunk gets a chunk of its own size.
    private int Fill(ref byte[] chunk, ref int next, ref bool markerWritten)
    {
        int used = 0;
        while (next < _rows.Count)
        {
            var row = _rows[next];
            int size = RollupRowEncoder.RowSize(row, _node.Length);
            if (size > chunk.Length - used)
            {
                if (used > 0)
                {
                    return used;
                }

                ArrayPool<byte>.Shared.Return(chunk);
                chunk = ArrayPool<byte>.Shared.Rent(size);
            }

            used += RollupRowEncoder.Write(chunk.AsSpan(used), row, _node);
            next++;
        }

        if (RollupRowEncoder.MarkerSize(_node.Length) > chunk.Length - used)
        {
            return used; // the marker goes in the next chunk
        }

        used += RollupRowEncoder.WriteMarker(chunk.AsSpan(used), _node, _checkpoint);
        markerWritten = true;
        return used;
    }
}
