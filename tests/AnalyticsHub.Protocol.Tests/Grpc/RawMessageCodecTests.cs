using System.Buffers;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public sealed class RawMessageCodecTests
{
    [Theory]
    [MemberData(nameof(Segments.AllLayouts), MemberType = typeof(Segments))]
    public void Decode_CopiesThePayload_FromAnyLayout(Layout layout)
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

        var decoded = RawMessageCodec.Instance.Decode(Segments.Build(payload, layout));

        Assert.Equal(payload, decoded.ToArray());
    }

    [Fact]
    public void Decode_ResultOutlivesTheBuffer()
    {
        // The payload is only valid during the call (the pipe reuses its memory): the result must be a copy.
        var buffer = new byte[] { 1, 2, 3 };

        var decoded = RawMessageCodec.Instance.Decode(new ReadOnlySequence<byte>(buffer));
        buffer.AsSpan().Clear();

        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.ToArray());
    }

    [Fact]
    public void Decode_Empty_IsEmpty() =>
        Assert.True(RawMessageCodec.Instance.Decode(ReadOnlySequence<byte>.Empty).IsEmpty);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(70_000)]
    public void Encode_WritesTheBytesAsGiven_AndGetSizeIsExact(int length)
    {
        var message = new ReadOnlyMemory<byte>(Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray());
        var output = new ArrayBufferWriter<byte>();

        RawMessageCodec.Instance.Encode(message, output);

        Assert.Equal(length, RawMessageCodec.Instance.GetSize(message));
        Assert.Equal(message.ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WrittenThroughGrpcMessageWriter_IsFramedAsIs()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GrpcMessageWriter(output);

        writer.Write<ReadOnlyMemory<byte>>(new byte[] { 0x61, 0x62 }, RawMessageCodec.Instance);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x02, 0x61, 0x62 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task Encode_LargeMessageIntoAPipe_IsOneFrameWithTheExactBytes()
    {
        var message = new byte[150_000];
        new Random(1).NextBytes(message);
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(minimumSegmentSize: 4096, pauseWriterThreshold: 0));

        using (var writer = new GrpcMessageWriter(pipe.Writer))
        {
            writer.Write<ReadOnlyMemory<byte>>(message, RawMessageCodec.Instance);
        }

        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        var frame = read.Buffer.ToArray();
        pipe.Reader.AdvanceTo(read.Buffer.End);

        Assert.Equal(5 + message.Length, frame.Length);
        Assert.Equal(0, frame[0]); // not compressed
        Assert.Equal(message.Length, (frame[1] << 24) | (frame[2] << 16) | (frame[3] << 8) | frame[4]);
        Assert.Equal(message, frame[5..]);
    }

    [Fact]
    public void Encode_EmptyMessage_WritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();
        RawMessageCodec.Instance.Encode(ReadOnlyMemory<byte>.Empty, output);
        Assert.Equal(0, output.WrittenCount);
        Assert.Equal(0, RawMessageCodec.Instance.GetSize(ReadOnlyMemory<byte>.Empty));
    }
}
