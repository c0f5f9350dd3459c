using System.Buffers;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class FrameHeaderTests
{
    public static TheoryData<Layout> Layouts => Segments.AllLayouts;

    [Theory]
    [InlineData(false, 0u, new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(false, 5u, new byte[] { 0x00, 0x00, 0x00, 0x00, 0x05 })]
    [InlineData(true, 0x01020304u, new byte[] { 0x01, 0x01, 0x02, 0x03, 0x04 })]
    [InlineData(false, 0x80000000u, new byte[] { 0x00, 0x80, 0x00, 0x00, 0x00 })]
    [InlineData(true, uint.MaxValue, new byte[] { 0x01, 0xFF, 0xFF, 0xFF, 0xFF })]
    public void Write_ProducesFlagsThenBigEndianLength(bool compressed, uint length, byte[] expected)
    {
        var destination = new byte[7];
        destination.AsSpan().Fill(0xEE);

        new FrameHeader(compressed, length).Write(destination);

        Assert.Equal(expected, destination[..5]);
        Assert.Equal(new byte[] { 0xEE, 0xEE }, destination[5..]); // nothing written past the header
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TryRead_UncompressedHeader_ReadsLength(Layout layout)
    {
        var buffer = Segments.Build([0x00, 0x00, 0x01, 0x02, 0x03], layout);

        Assert.True(FrameHeader.TryRead(buffer, out var header));

        Assert.False(header.Compressed);
        Assert.Equal(0x010203u, header.Length);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TryRead_CompressedHeaderFollowedByPayload_ReadsOnlyTheHeader(Layout layout)
    {
        var buffer = Segments.Build([0x01, 0x80, 0x00, 0x00, 0x00, 0xAA, 0xBB, 0xCC], layout);

        Assert.True(FrameHeader.TryRead(buffer, out var header));

        Assert.True(header.Compressed);
        Assert.Equal(0x80000000u, header.Length);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TryRead_MaxLength_IsNotSignExtended(Layout layout)
    {
        var buffer = Segments.Build([0x00, 0xFF, 0xFF, 0xFF, 0xFF], layout);

        Assert.True(FrameHeader.TryRead(buffer, out var header));

        Assert.Equal(uint.MaxValue, header.Length);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TryRead_FewerThanFiveBytes_ReturnsFalse(Layout layout)
    {
        byte[] full = [0x00, 0x00, 0x00, 0x00, 0x07];
        for (var count = 0; count < 5; count++)
        {
            var buffer = Segments.Build(full.AsSpan(0, count), layout);

            Assert.False(FrameHeader.TryRead(buffer, out var header));
            Assert.Equal(default, header);
        }
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void TryRead_InvalidFlags_ThrowsInternal(byte flags)
    {
        foreach (var layout in Enum.GetValues<Layout>())
        {
            var buffer = Segments.Build([flags, 0x00, 0x00, 0x00, 0x01], layout);

            var ex = Assert.Throws<RpcException>(() => FrameHeader.TryRead(buffer, out _));

            Assert.Equal(StatusCode.Internal, ex.StatusCode);
            Assert.Contains($"0x{flags:X2}", ex.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryRead_Span_FewerThanFiveBytes_ReturnsFalseEvenWithInvalidFlags()
    {
        // The flags byte is only judged once the whole header is there.
        Assert.False(FrameHeader.TryRead([0x7F, 0x00, 0x00], out _));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WriteThenRead_RoundTrips(Layout layout)
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var expected = new FrameHeader(random.Next(2) == 1, (uint)random.NextInt64(0, uint.MaxValue + 1L));
            var bytes = new byte[5];
            expected.Write(bytes);

            Assert.True(FrameHeader.TryRead(Segments.Build(bytes, layout, seed: i), out var actual));

            Assert.Equal(expected.Compressed, actual.Compressed);
            Assert.Equal(expected.Length, actual.Length);
        }
    }

    [Fact]
    public void Segments_Helper_ProducesManySegments()
    {
        // Guards the helper itself: the multi-segment layouts must really be multi-segment.
        var data = new byte[20];
        Assert.Equal(1, Segments.SegmentCount(Segments.Build(data, Layout.Contiguous)));
        Assert.Equal(20, Segments.SegmentCount(Segments.Build(data, Layout.OneByteSegments)));
        Assert.True(Segments.SegmentCount(Segments.Build(data, Layout.RandomSegments)) > 2);
        var withEmpty = Segments.Build(data, Layout.RandomSegmentsWithEmpty);
        Assert.True(withEmpty.FirstSpan.IsEmpty);
        Assert.Equal(20, withEmpty.Length);
        Assert.Equal(data, withEmpty.ToArray());
    }
}
