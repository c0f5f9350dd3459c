using System.Buffers.Binary;
using System.Net;
using System.Text;
using AnalyticsHub.Protocol.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AnalyticsHub.Protocol.Tests.Server;

/// <summary>What reaches the server before a handler runs: protocol, method, content-type, routing, headers.</summary>
[Collection(GrpcServerCollection.Name)]
public class AdmissionTests(GrpcServerFixture server)
{
    private static readonly byte[] EchoBody = GrpcFrames.Frame(new StringValue { Value = "x" }.ToByteArray());

    [Fact]
    public async Task Http11Request_ToCleartextGrpcPort_Gets426WithUpgradeH2c()
    {
        var request = Encoding.ASCII.GetBytes("POST /x HTTP/1.1\r\nHost: a\r\ncontent-type: application/grpc\r\n\r\n");

        // No half-close: the server must answer on the request head alone, then close.
        var response = Encoding.ASCII.GetString(await RawTcp.ExchangeAsync(server.Port, request, halfClose: false));

        Assert.StartsWith("HTTP/1.1 426 Upgrade Required\r\n", response, StringComparison.Ordinal);
        var head = response[..response.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.Contains("\r\nUpgrade: h2c", head, StringComparison.Ordinal);
        Assert.Contains("\r\ngrpc-status: 13", head, StringComparison.Ordinal);
        Assert.Contains("HTTP/2 only", response, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Http10Request_ToCleartextGrpcPort_Gets426()
    {
        var response = Encoding.ASCII.GetString(await RawTcp.ExchangeAsync(server.Port, "GET / HTTP/1.0\r\n\r\n"u8.ToArray(), halfClose: false));

        Assert.StartsWith("HTTP/1.1 426 ", response, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03 })] // a TLS ClientHello on the cleartext port
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF })]
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'I', (byte)' ' })] // a prefix of the HTTP/2 preface, then EOF
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'X' })]
    public async Task RawGarbage_ToPort_ClosesWith426OrNothing(byte[] garbage)
    {
        var response = await RawTcp.ExchangeAsync(server.Port, garbage, halfClose: true);

        Assert.True(
            response.Length == 0 || Encoding.ASCII.GetString(response).StartsWith("HTTP/1.1 426 ", StringComparison.Ordinal),
            $"Unexpected reply to garbage: {Convert.ToHexString(response)}");
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Http2PrefaceFollowedByGarbage_GetsGoAwayAndClose()
    {
        // The full client preface, then a frame header claiming a 16 MiB frame of unknown type.
        var bytes = Frames.Concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), [0xFF, 0xFF, 0xFF, 0xEE, 0x00, 0x00, 0x00, 0x00, 0x00], new byte[64]);

        var response = await RawTcp.ExchangeAsync(server.Port, bytes, halfClose: false);

        Assert.Contains((byte)0x7, FrameTypes(response)); // GOAWAY
        await server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/grpc+json")]
    [InlineData("application/json")]
    public async Task WrongContentType_OnGrpcMethod_Gets415(string contentType)
    {
        var response = await GrpcCall.SendAsync(server.Client, GrpcCall.Request(GrpcCall.PathOf("Echo"), GrpcCall.Body(EchoBody, contentType)));

        Assert.Equal(415, response.HttpStatus);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal($"Content-Type '{contentType}' is not supported.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Get_OnGrpcMethod_Gets405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, GrpcCall.PathOf("Echo"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var response = await GrpcCall.SendAsync(server.Client, request);

        Assert.Equal(405, response.HttpStatus);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("'GET'", response.GrpcMessage, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task NonGrpcRequest_ToUnknownPath_IsLeftToTheRestOfThePipeline()
    {
        var response = await GrpcCall.SendAsync(server.Client, GrpcCall.Request("/not-grpc", GrpcCall.Body([1, 2, 3], "text/plain")));

        Assert.Equal(404, response.HttpStatus);
        Assert.Null(response.GrpcStatus);
    }

    [Fact]
    public async Task UnknownService_IsUnimplementedTrailersOnly()
    {
        var response = await GrpcCall.SendAsync(server.Client, GrpcCall.Request("/nope.Svc/Echo", GrpcCall.Body(EchoBody)));

        Assert.Equal(200, response.HttpStatus);
        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("12", response.GrpcStatus);
        Assert.Equal("Service is unimplemented.", response.GrpcMessage);
        Assert.Equal("application/grpc", response.Headers["content-type"]);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task UnknownMethod_OfKnownService_IsUnimplementedWithMethodMessage()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Nope", EchoBody);

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("12", response.GrpcStatus);
        Assert.Equal("Method is unimplemented.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task UnknownGrpcEncoding_IsUnimplementedWithAcceptEncoding()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", EchoBody, ("grpc-encoding", "snappy"));

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("12", response.GrpcStatus);
        Assert.Contains("'snappy'", response.GrpcMessage, StringComparison.Ordinal);
        Assert.Equal("identity,deflate,gzip", response.Headers["grpc-accept-encoding"]);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task IdentityGrpcEncoding_IsAccepted()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", EchoBody, ("grpc-encoding", "identity"));

        Assert.Equal("0", response.GrpcStatus);
    }

    [Theory]
    [InlineData("")]
    [InlineData("123456789S")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("S")]
    [InlineData("1.5S")]
    public async Task MalformedGrpcTimeout_IsInternal(string timeout)
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", EchoBody, ("grpc-timeout", timeout));

        Assert.Equal(200, response.HttpStatus);
        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal($"Malformed grpc-timeout header '{timeout}'.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    /// <summary>
    /// Regression: the malformed-grpc-timeout status was once sent before the content type was set.
    /// PROTOCOL-HTTP2.md requires Content-Type in every response, Trailers-Only included.
    /// </summary>
    [Fact]
    public async Task MalformedGrpcTimeout_TrailersOnlyResponse_HasGrpcContentType()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", EchoBody, ("grpc-timeout", "10x"));

        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("application/grpc", response.Headers.GetValueOrDefault("content-type"));
    }

    [Fact]
    public async Task ValidGrpcTimeout_OnFastCall_Succeeds()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", EchoBody, ("grpc-timeout", "5S"));

        Assert.Equal("0", response.GrpcStatus);
    }

    private static List<byte> FrameTypes(byte[] http2Bytes)
    {
        // Server frames: 24-bit length, type, flags, stream id, payload.
        var types = new List<byte>();
        var offset = 0;
        while (http2Bytes.Length - offset >= 9)
        {
            var length = (http2Bytes[offset] << 16) | BinaryPrimitives.ReadUInt16BigEndian(http2Bytes.AsSpan(offset + 1));
            types.Add(http2Bytes[offset + 3]);
            offset += 9 + length;
        }

        return types;
    }
}
