using System.Diagnostics;
using AnalyticsHub.Protocol.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AnalyticsHub.Protocol.Tests.Server;

/// <summary>Malformed request bodies: each gets a precise status, and the server keeps serving.</summary>
[Collection(GrpcServerCollection.Name)]
public class BadRequestBodyTests(GrpcServerFixture server)
{
    private static readonly byte[] Hello = new StringValue { Value = "hello" }.ToByteArray();

    [Fact]
    public async Task GarbageFlagsByte_IsInternal()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", [0x7F, 0x00, 0x00, 0x00, 0x01, 0x00]);

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("Invalid gRPC message flags 0x7F: expected 0 or 1.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x61 })] // string field claims 5 bytes, 1 follows
    [InlineData(new byte[] { 0x00 })] // tag 0
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })] // malformed varint
    public async Task ProtobufGarbageInWellFormedFrame_IsInternalNamingTheType(byte[] payload)
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", GrpcFrames.Frame(payload));

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("13", response.GrpcStatus);
        Assert.StartsWith("Failed to parse message as google.protobuf.StringValue: ", response.GrpcMessage, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task TruncatedFrame_ThenEndOfStream_IsInternalIncompleteMessage()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", Frames.Concat(GrpcFrames.Header(16), [1, 2, 3]));

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("Incomplete message: the stream ended 8 byte(s) into a message.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task TruncatedHeader_ThenEndOfStream_IsInternalIncompleteMessage()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", [0x00, 0x00]);

        Assert.Equal("13", response.GrpcStatus);
        Assert.StartsWith("Incomplete message", response.GrpcMessage, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task EmptyBody_OnUnaryMethod_IsInternal()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", []);

        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("The request did not include a message.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task TwoMessages_OnUnaryMethod_IsInternal()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", Frames.Concat(GrpcFrames.Frame(Hello), GrpcFrames.Frame(Hello)));

        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("more than one message", response.GrpcMessage, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task TwoGiBLengthPrefix_WithNoBody_IsResourceExhausted()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", [0x00, 0x80, 0x00, 0x00, 0x00]);

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("8", response.GrpcStatus);
        Assert.Equal("Received message larger than max (2147483648 vs. 16777216)", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task TwoGiBLengthPrefix_OnOpenRequestStream_IsResourceExhaustedPromptly()
    {
        // The client sends the 5-byte header and then nothing, without ending the stream:
        // the server must answer from the header alone instead of waiting for 2 GiB.
        using var content = new StreamingContent();
        await content.SendAsync([0x00, 0x80, 0x00, 0x00, 0x00]);
        var started = Stopwatch.StartNew();

        var response = await GrpcCall.SendAsync(server.Client, GrpcCall.Request(GrpcCall.PathOf("Echo"), content), TimeSpan.FromSeconds(4));
        content.Complete();

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("8", response.GrpcStatus);
        Assert.StartsWith("Received message larger than max (2147483648 vs. ", response.GrpcMessage, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task TwoGiBLengthPrefix_OnOpenClientStream_IsResourceExhaustedPromptly()
    {
        using var content = new StreamingContent();
        await content.SendAsync(GrpcFrames.Frame(Hello));
        await content.SendAsync([0x00, 0x80, 0x00, 0x00, 0x00]);

        var response = await GrpcCall.SendAsync(server.Client, GrpcCall.Request(GrpcCall.PathOf("Concat"), content), TimeSpan.FromSeconds(4));
        content.Complete();

        Assert.Equal("8", response.GrpcStatus);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task CompressedFlag_WithoutGrpcEncoding_IsInternal()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", GrpcFrames.Frame(Frames.Gzip(Hello), compressed: true));

        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("Received a compressed message but the stream has no grpc-encoding.", response.GrpcMessage);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task CorruptGzipBody_IsInternal()
    {
        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", GrpcFrames.Frame([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02, 0x03], compressed: true), ("grpc-encoding", "gzip"));

        Assert.Equal("13", response.GrpcStatus);
        Assert.StartsWith("Failed to decompress message with 'gzip'", response.GrpcMessage, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }

    /// <summary>
    /// Regression, end to end (see GrpcMessageReaderTests.MoveNext_TruncatedGzip_ThrowsInternal): a gzip
    /// body cut short was once handed to the handler as a shorter message and the call succeeded.
    /// </summary>
    [Fact]
    public async Task TruncatedGzipBody_IsInternalNotAShorterMessage()
    {
        var gzip = Frames.Gzip(new StringValue { Value = "this message must arrive whole or not at all" }.ToByteArray());

        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", GrpcFrames.Frame(gzip[..12], compressed: true), ("grpc-encoding", "gzip"));

        Assert.True(response.GrpcStatus == "13", $"A truncated gzip message was accepted: {response}");
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task GzipBomb_IsResourceExhausted()
    {
        // 17 MiB of zeros (~17 KiB compressed) against the default 16 MiB receive limit.
        var bomb = Frames.Gzip(new byte[17 * 1024 * 1024]);

        var response = await GrpcCall.SendBytesAsync(server.Client, "Echo", GrpcFrames.Frame(bomb, compressed: true), ("grpc-encoding", "gzip"));

        Assert.Equal("8", response.GrpcStatus);
        Assert.Contains("after decompression", response.GrpcMessage, StringComparison.Ordinal);
        await server.AssertHealthyAsync();
    }
}
