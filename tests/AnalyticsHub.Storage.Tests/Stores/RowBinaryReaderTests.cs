using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Tests.Stores;

public sealed class RowBinaryReaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]       // two-byte length
    [InlineData(65_536)]    // exactly the buffer
    [InlineData(200_000)]   // larger than the buffer
    public async Task Bytes_AreReturnedAsSent_NotDecodedAsText(int length)
    {
        var value = new byte[length];
        new Random(length).NextBytes(value); // arbitrary bytes, most not valid UTF-8
        var stream = new MemoryStream([.. Leb128((ulong)length), .. value, .. Leb128(2), (byte)'o', (byte)'k']);
        var reader = new RowBinaryReader(stream);

        Assert.Equal(value, await reader.BytesAsync(CancellationToken.None));
        Assert.Equal("ok", await reader.StringAsync(CancellationToken.None));
        Assert.False(await reader.HasRowAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TruncatedValue_IsAnError()
    {
        var reader = new RowBinaryReader(new MemoryStream([.. Leb128(10), 1, 2, 3]));

        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.BytesAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task LengthOverflowingInt_IsAnError()
    {
        var reader = new RowBinaryReader(new MemoryStream([.. Leb128(uint.MaxValue)]));

        await Assert.ThrowsAsync<IOException>(() => reader.BytesAsync(CancellationToken.None).AsTask());
    }

    private static byte[] Leb128(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
