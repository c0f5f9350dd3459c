using System.IO.Compression;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// Stands in for a response <c>grpc-encoding</c> the client does not support: identity messages
/// still read, the first compressed one fails the call with INTERNAL.
/// </summary>
internal sealed class UnsupportedCompressionProvider(string encodingName) : ICompressionProvider
{
    public string EncodingName { get; } = encodingName;

    public Stream CreateCompressionStream(Stream output, CompressionLevel level) => throw new NotSupportedException();

    public Stream CreateDecompressionStream(Stream input) =>
        throw new RpcException(
            StatusCode.Internal,
            $"Received a message compressed with grpc-encoding '{EncodingName}', which this client does not support "
            + $"(supported: {CompressionProviders.Default.AcceptEncoding}).");
}
