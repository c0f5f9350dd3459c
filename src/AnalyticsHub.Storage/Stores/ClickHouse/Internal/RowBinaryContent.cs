using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// An INSERT body in RowBinary, encoded while it is sent: rows [first, end) are written into one
/// pooled chunk, the chunk goes to the connection (through gzip when asked), and the chunk is reused,
/// so a body of any size costs one rented buffer and no allocation per row. The raw length is known
/// in advance (<c>Content-Length</c>); a gzip body is sent chunked. What a row is, is the derived class's
/// (<see cref="EventRowsContent"/>, <see cref="RollupRowsContent"/>).
/// </summary>
/// <remarks>Serialising twice (the handler retrying on a fresh connection) encodes the rows again; the rows must stay untouched until the request completes.</remarks>
internal abstract class RowBinaryContent : HttpContent
{
    /// <summary>Bytes handed to the connection (or the compressor) per write.</summary>
    internal const int ChunkSize = 256 * 1024;

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly int _first;
    private readonly int _end;
    private readonly long _rawLength;
    private readonly bool _gzip;

    protected RowBinaryContent(int first, int end, long rawLength, bool gzip)
    {
        _first = first;
        _end = end;
        _rawLength = rawLength;
        _gzip = gzip;
        Headers.ContentType = OctetStream;
        if (gzip)
        {
            Headers.ContentEncoding.Add("gzip");
        }
    }

    /// <summary>Bytes of the uncompressed body.</summary>
    public long RawLength => _rawLength;

    /// <summary>Bytes row <paramref name="index"/> takes.</summary>
    protected abstract int RowSize(int index);

    /// <summary>Encodes row <paramref name="index"/> at the start of <paramref name="destination"/> (at least <see cref="RowSize"/> bytes); returns the bytes written.</summary>
    protected abstract int WriteRow(Span<byte> destination, int index);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        Stream target = _gzip ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
        try
        {
            int next = _first;
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
        while (next < _end)
        {
            int size = RowSize(next);
            if (size > chunk.Length - used)
            {
                if (used > 0)
                {
                    break;
                }

                ArrayPool<byte>.Shared.Return(chunk);
                chunk = ArrayPool<byte>.Shared.Rent(size);
            }

            used += WriteRow(chunk.AsSpan(used), next);
            next++;
        }

        return used;
    }
}
