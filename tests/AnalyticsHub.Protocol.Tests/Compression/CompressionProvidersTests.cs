using System.IO.Compression;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Internal;
using AnalyticsHub.Protocol.Tests.Support;

namespace AnalyticsHub.Protocol.Tests.Compression;

public class CompressionProvidersTests
{
    [Theory]
    [InlineData("gzip", "gzip", true)]
    [InlineData("identity,gzip", "gzip", true)]
    [InlineData("identity,deflate,gzip", "deflate", true)]
    [InlineData(" identity , gzip ", "gzip", true)]
    [InlineData("GZIP", "gzip", true)]
    [InlineData("gzip,", "gzip", true)]
    [InlineData(",,gzip", "gzip", true)]
    [InlineData("identity", "identity", true)]
    [InlineData("deflate", "gzip", false)]
    [InlineData("gzipx", "gzip", false)]
    [InlineData("x-gzip", "gzip", false)]
    [InlineData("gzip;q=1", "gzip", false)]
    [InlineData("identity deflate", "deflate", false)]
    [InlineData("", "gzip", false)]
    [InlineData(null, "gzip", false)]
    public void Accepts_ParsesCommaSeparatedList(string? acceptEncoding, string encoding, bool expected)
    {
        Assert.Equal(expected, CompressionProviders.Accepts(acceptEncoding, encoding));
    }

    [Fact]
    public void AcceptEncoding_ListsIdentityThenProvidersInOrder()
    {
        Assert.Equal("identity,deflate,gzip", CompressionProviders.Default.AcceptEncoding);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("identity")]
    [InlineData("IDENTITY")]
    public void TryResolve_IdentityOrAbsent_IsNoProvider(string? encoding)
    {
        Assert.True(CompressionProviders.Default.TryResolve(encoding, out var provider));
        Assert.Null(provider);
    }

    [Theory]
    [InlineData("gzip", typeof(GzipCompressionProvider))]
    [InlineData("GZip", typeof(GzipCompressionProvider))]
    [InlineData("deflate", typeof(DeflateCompressionProvider))]
    public void TryResolve_KnownEncoding_FindsProvider(string encoding, System.Type expected)
    {
        Assert.True(CompressionProviders.Default.TryResolve(encoding, out var provider));
        Assert.IsType(expected, provider);
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("br")]
    [InlineData("gzip ")]
    public void TryResolve_UnknownEncoding_Fails(string encoding)
    {
        Assert.False(CompressionProviders.Default.TryResolve(encoding, out _));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public void Compress_ThenDecompress_RoundTripsOverSegmentedInput(string encoding)
    {
        Assert.True(CompressionProviders.Default.TryResolve(encoding, out var provider));
        var payload = Frames.Concat(Frames.Random(3000, seed: 6), new byte[3000]);
        using var compressed = new PooledBufferWriter();
        using var decompressed = new PooledBufferWriter();

        MessageCompression.Compress(provider!, payload, compressed, CompressionLevel.Fastest);
        MessageCompression.Decompress(provider!, Segments.Build(compressed.WrittenSpan, Layout.RandomSegments), decompressed, int.MaxValue);

        Assert.Equal(payload, decompressed.WrittenSpan.ToArray());
        // Interoperable formats: what we write, the BCL's plain streams read.
        Assert.Equal(payload, encoding == "gzip" ? Frames.Gunzip(compressed.WrittenSpan.ToArray()) : Frames.Unzlib(compressed.WrittenSpan.ToArray()));
    }

    [Fact]
    public void Decompress_OverLimit_ThrowsResourceExhausted()
    {
        using var output = new PooledBufferWriter();

        var ex = Assert.Throws<RpcException>(() =>
            MessageCompression.Decompress(GzipCompressionProvider.Instance, new(Frames.Gzip(new byte[100_001])), output, 100_000));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }
}
