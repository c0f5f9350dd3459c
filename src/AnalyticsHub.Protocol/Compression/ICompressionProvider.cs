using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace AnalyticsHub.Protocol.Compression;

/// <summary>A message encoding named by <c>grpc-encoding</c>.</summary>
public interface ICompressionProvider
{
    /// <summary>The name on the wire, e.g. <c>gzip</c>.</summary>
    string EncodingName { get; }

    Stream CreateCompressionStream(Stream output, CompressionLevel level);

    Stream CreateDecompressionStream(Stream input);

    /// <summary>
    /// Whether a decompressed message is whole. .NET's inflaters report a clean end of stream when
    /// the input stops early, so formats with a trailer check it here; truncation is otherwise silent.
    /// </summary>
    bool IsComplete(in ReadOnlySequence<byte> compressed, ReadOnlySpan<byte> decompressed) => true;
}

/// <summary><c>gzip</c>: RFC 1952.</summary>
public sealed class GzipCompressionProvider : ICompressionProvider
{
    public static readonly GzipCompressionProvider Instance = new();

    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream output, CompressionLevel level) => new GZipStream(output, level, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream input) => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>The gzip trailer ends with ISIZE: the decompressed length mod 2^32, little-endian (RFC 1952 §2.3.1).</summary>
    public bool IsComplete(in ReadOnlySequence<byte> compressed, ReadOnlySpan<byte> decompressed)
    {
        if (compressed.Length < 18)
        {
            return false;
        }

        Span<byte> trailer = stackalloc byte[4];
        compressed.Slice(compressed.Length - 4).CopyTo(trailer);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer) == unchecked((uint)decompressed.Length);
    }
}

/// <summary><c>deflate</c>: in gRPC (as in HTTP) this is the zlib format, RFC 1950.</summary>
public sealed class DeflateCompressionProvider : ICompressionProvider
{
    public static readonly DeflateCompressionProvider Instance = new();

    public string EncodingName => "deflate";

    public Stream CreateCompressionStream(Stream output, CompressionLevel level) => new ZLibStream(output, level, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream input) => new ZLibStream(input, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>The zlib trailer is the Adler-32 of the decompressed data, big-endian (RFC 1950 §2.2).</summary>
    public bool IsComplete(in ReadOnlySequence<byte> compressed, ReadOnlySpan<byte> decompressed)
    {
        if (compressed.Length < 6)
        {
            return false;
        }

        Span<byte> trailer = stackalloc byte[4];
        compressed.Slice(compressed.Length - 4).CopyTo(trailer);
        return BinaryPrimitives.ReadUInt32BigEndian(trailer) == Adler32.Compute(decompressed);
    }
}
