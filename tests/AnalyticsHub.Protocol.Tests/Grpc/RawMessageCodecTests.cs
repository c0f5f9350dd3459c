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
}
