using System.Buffers;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Tests.Support;
using Google.Protobuf.WellKnownTypes;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class GrpcMessageWriterTests
{
    [Fact]
    public void WritePayload_Uncompressed_WritesHeaderThenPayload()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output);

        writer.WritePayload([0x61, 0x62, 0x63]);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x03, 0x61, 0x62, 0x63 }, output.WrittenSpan.ToArray());
        Assert.Equal(1, writer.MessagesWritten);
    }

    [Fact]
    public void WritePayload_Empty_WritesFiveZeroBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output);

        writer.WritePayload([]);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_ProtobufMessage_EncodesStraightIntoTheOutput()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output);

        writer.Write(new StringValue { Value = "hi" }, ProtobufCodec<StringValue>.Instance);
        writer.Write(new StringValue(), ProtobufCodec<StringValue>.Instance);

        // field 1, wire type 2 (0x0A), length 2, "hi"; then an empty message.
        Assert.Equal(
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x04, 0x0A, 0x02, 0x68, 0x69, 0x00, 0x00, 0x00, 0x00, 0x00 },
            output.WrittenSpan.ToArray());
        Assert.Equal(2, writer.MessagesWritten);
    }

    [Fact]
    public void Write_CodecWithUnknownSize_ProducesTheSameBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output);

        writer.Write(new byte[] { 1, 2, 3, 4, 5, 6 }, UnknownSizeCodec.Instance);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 6, 1, 2, 3, 4, 5, 6 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WritePayload_LargerThanOneChunk_IsWrittenWhole()
    {
        // 200 KiB crosses the writer's 64 KiB copy chunks; the stingy output hands out exactly what is asked.
        var payload = Frames.Random(200 * 1024);
        var output = new StingyBufferWriter();
        using var writer = new GrpcMessageWriter(output);

        writer.WritePayload(payload);

        Assert.Equal(GrpcFrames.Frame(payload), output.ToArray());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public void WritePayload_WithCompression_SetsFlagAndCompressesPayload(string encoding)
    {
        var payload = Enumerable.Repeat("compress me "u8.ToArray(), 50).SelectMany(b => b).ToArray();
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output) { Compression = Provider(encoding) };

        writer.WritePayload(payload);

        var (compressed, body) = Assert.Single(Frames.Parse(output.WrittenSpan.ToArray()));
        Assert.True(compressed);
        Assert.Equal(1, output.WrittenSpan[0]);
        Assert.True(body.Length < payload.Length);
        Assert.Equal(payload, encoding == "gzip" ? Frames.Gunzip(body) : Frames.Unzlib(body));
        Assert.Equal(encoding == "gzip" ? (byte)0x1F : (byte)0x78, body[0]); // gzip magic / zlib CMF
    }

    [Fact]
    public void Write_ProtobufWithCompression_SetsFlagAndCompresses()
    {
        var message = new StringValue { Value = new string('z', 1000) };
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output) { Compression = GzipCompressionProvider.Instance };

        writer.Write(message, ProtobufCodec<StringValue>.Instance);

        var (compressed, body) = Assert.Single(Frames.Parse(output.WrittenSpan.ToArray()));
        Assert.True(compressed);
        Assert.Equal(message, StringValue.Parser.ParseFrom(Frames.Gunzip(body)));
    }

    [Fact]
    public void Write_CompressionSetButNotAskedFor_WritesUncompressed()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output) { Compression = GzipCompressionProvider.Instance };

        writer.Write(new StringValue { Value = "hi" }, ProtobufCodec<StringValue>.Instance, compress: false);
        writer.WritePayload([1, 2], compress: false);

        Assert.Equal(
            new byte[] { 0, 0, 0, 0, 4, 0x0A, 0x02, 0x68, 0x69, 0, 0, 0, 0, 2, 1, 2 },
            output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WritePayload_OverSendLimit_ThrowsResourceExhaustedAndWritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output, maxMessageSize: 10);

        var ex = Assert.Throws<RpcException>(() => writer.WritePayload(new byte[11]));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("Sending message larger than max (11 vs. 10)", ex.Status.Detail);
        Assert.Equal(0, output.WrittenCount);
        Assert.Equal(0, writer.MessagesWritten);
    }

    [Fact]
    public void Write_ProtobufOverSendLimit_ThrowsResourceExhaustedAndWritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output, maxMessageSize: 10);

        var ex = Assert.Throws<RpcException>(() => writer.Write(new StringValue { Value = new string('a', 20) }, ProtobufCodec<StringValue>.Instance));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Write_UnknownSizeOverSendLimit_ThrowsResourceExhausted()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output, maxMessageSize: 5);

        var ex = Assert.Throws<RpcException>(() => writer.Write(new byte[6], UnknownSizeCodec.Instance));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void WritePayload_ExactlyAtSendLimit_IsWritten()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output, maxMessageSize: 10);

        writer.WritePayload(new byte[10]);

        Assert.Equal(15, output.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task WriterOutput_ReadBackThroughTheReader_RoundTrips(Layout layout)
    {
        byte[][] payloads = [[], [1], Frames.Random(70_000, seed: 11), "abc"u8.ToArray()];
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new GrpcMessageWriter(output) { Compression = GzipCompressionProvider.Instance })
        {
            for (var i = 0; i < payloads.Length; i++)
            {
                writer.WritePayload(payloads[i], compress: i % 2 == 1);
            }
        }

        var reader = new SegmentedPipeReader(Segments.Build(output.WrittenSpan, layout));
        using var messages = new GrpcMessageReader(reader, int.MaxValue, GzipCompressionProvider.Instance);
        var read = new List<byte[]>();
        while (await messages.MoveNextAsync())
        {
            Assert.Equal(read.Count % 2 == 1, messages.CurrentWasCompressed);
            read.Add(messages.Current.ToArray());
        }

        Assert.Equal(payloads, read);
    }

    public static TheoryData<Layout> Layouts => [Layout.Contiguous, Layout.RandomSegments];

    private static ICompressionProvider Provider(string encoding)
    {
        Assert.True(CompressionProviders.Default.TryResolve(encoding, out var provider));
        return provider!;
    }

    /// <summary>A codec that reports its size as unknown (-1), forcing the scratch-buffer path.</summary>
    private sealed class UnknownSizeCodec : IMessageCodec<byte[]>
    {
        public static readonly UnknownSizeCodec Instance = new();

        public byte[] Decode(in ReadOnlySequence<byte> payload) => payload.ToArray();

        public int GetSize(byte[] message) => -1;

        public void Encode(byte[] message, IBufferWriter<byte> output) => output.Write(message);
    }

    /// <summary>An output that never hands out more than was asked for (at least 1 byte), in fresh arrays.</summary>
    private sealed class StingyBufferWriter : IBufferWriter<byte>
    {
        private readonly MemoryStream _written = new();
        private byte[] _current = [];

        public void Advance(int count) => _written.Write(_current, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(1, sizeHint)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => _written.ToArray();
    }
}
