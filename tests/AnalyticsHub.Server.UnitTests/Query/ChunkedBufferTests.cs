using System.IO.Pipelines;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.UnitTests.Query;

public sealed class ChunkedBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(65_536)]
    [InlineData(300_001)]
    public async Task WhatIsWritten_IsSentBack_ByteForByte(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var buffer = new ChunkedBuffer();
        for (int at = 0; at < length;)
        {
            // Writes of varying sizes, some larger than a chunk.
            int size = Math.Min(length - at, 1 + (at % 70_001));
            bytes.AsSpan(at, size).CopyTo(buffer.GetSpan(size));
            buffer.Advance(size);
            at += size;
        }
        buffer.Complete();

        // The default pipe holds back a writer 64 KiB ahead of its reader: read while writing.
        var pipe = new Pipe();
        using var read = new MemoryStream();
        var reading = pipe.Reader.CopyToAsync(read);
        await buffer.WriteToAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        await reading;

        Assert.Equal(length, buffer.Length);
        Assert.Equal(bytes, read.ToArray());
    }

    [Fact]
    public void WritingAfterComplete_Throws()
    {
        var buffer = new ChunkedBuffer().Complete();

        Assert.Throws<InvalidOperationException>(() => buffer.GetSpan());
    }

    [Fact]
    public async Task SendingBeforeComplete_Throws()
    {
        var buffer = new ChunkedBuffer();

        await Assert.ThrowsAsync<InvalidOperationException>(() => buffer.WriteToAsync(new Pipe().Writer, CancellationToken.None).AsTask());
    }

    [Fact]
    public void AdvancingPastTheSpan_Throws()
    {
        var buffer = new ChunkedBuffer();
        int free = buffer.GetSpan(10).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(free + 1));
    }
}
