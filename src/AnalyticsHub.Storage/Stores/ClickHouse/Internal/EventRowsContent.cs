using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.Core.Storage;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// An INSERT body of rows [start, start + count) of a batch in RowBinary, encoded while it is sent:
/// rows are written into one pooled chunk, the chunk goes to the connection (through gzip when
/// asked), and the chunk is reused, so a batch of any size costs one rented buffer and no
/// allocation per row. The raw length is known in advance (<c>Content-Length</c>); a gzip body is sent chunked.
/// </summary>
/// <remarks>Serialising twice (the handler retrying on a fresh connection) encodes the rows again; the batch must stay untouched until the request completes.</remarks>
internal sealed class EventRowsContent : HttpContent
{
    /// <summary>Bytes handed to the connection (or the compressor) per write.</summary>
    internal const int ChunkSize = 256 * 1024;

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly StoredEventBatch _batch;
    private readonly int _start;
    private readonly int _end;
    private readonly byte[] _node;
    private readonly ClickHouseTableLayout _layout;
    private readonly long _rawLength;
    private readonly bool _gzip;

    public EventRowsContent(StoredEventBatch batch, int start, int count, byte[] node, ClickHouseTableLayout layout, long rawLength, bool gzip)
    {
        _batch = batch;
        _start = start;
        _end = start + count;
        _node = node;
        _layout = layout;
        _rawLength = rawLength;
        _gzip = gzip;
        Headers.ContentType = OctetStream;
        if (gzip)
        {
            Headers.ContentEncoding.Add("gzip");
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        Stream target = _gzip ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
        try
        {
            int next = _start;
            while (next < _end)
            {
                int used = Fill(ref chunk, ref next);
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

    // Encodes rows from `next` until the chunk is full; a row larger than a chunk gets a chunk of its own size.
    private int Fill(ref byte[] chunk, ref int next)
    {
        int used = 0;
        var rows = _batch.Rows;
        while (next < _end)
        {
            ref readonly var row = ref rows[next];
            int size = EventRowEncoder.RowSize(row, _node.Length);
            if (size > chunk.Length - used)
            {
                if (used > 0)
                {
                    break;
                }

                ArrayPool<byte>.Shared.Return(chunk);
                chunk = ArrayPool<byte>.Shared.Rent(size);
            }

            used += EventRowEncoder.Write(chunk.AsSpan(used), _batch, row, _node, _layout);
            next++;
        }

        return used;
    }
}
