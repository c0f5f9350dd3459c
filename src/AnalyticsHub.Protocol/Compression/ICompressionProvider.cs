using System.IO.Compression;

namespace AnalyticsHub.Protocol.Compression;

/// <summary>A message encoding named by <c>grpc-encoding</c>.</summary>
public interface ICompressionProvider
{
    /// <summary>The name on the wire, e.g. <c>gzip</c>.</summary>
    string EncodingName { get; }

    Stream CreateCompressionStream(Stream output, CompressionLevel level);

    Stream CreateDecompressionStream(Stream input);
}

/// <summary><c>gzip</c>: RFC 1952.</summary>
public sealed class GzipCompressionProvider : ICompressionProvider
{
    public static readonly GzipCompressionProvider Instance = new();

    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream output, CompressionLevel level) => new GZipStream(output, level, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream input) => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
}

/// <summary><c>deflate</c>: in gRPC (as in HTTP) this is the zlib format, RFC 1950.</summary>
public sealed class DeflateCompressionProvider : ICompressionProvider
{
    public static readonly DeflateCompressionProvider Instance = new();

    public string EncodingName => "deflate";

    public Stream CreateCompressionStream(Stream output, CompressionLevel level) => new ZLibStream(output, level, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream input) => new ZLibStream(input, CompressionMode.Decompress, leaveOpen: true);
}
