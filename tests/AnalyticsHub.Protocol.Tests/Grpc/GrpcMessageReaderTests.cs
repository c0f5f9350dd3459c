using System.Buffers;
using System.IO.Pipelines;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Tests.Support;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class GrpcMessageReaderTests
{
    private const int Limit = 64 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static TheoryData<Feed> AllFeeds => FeedSource.All;

    public static TheoryData<Feed> OpenFeeds => FeedSource.Open;

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_BackToBackMessages_ReturnsEachPayloadInOrder(Feed feed)
    {
        byte[][] payloads = [[0x0A, 0x02, 0x68, 0x69], [], Frames.Random(300, seed: 2), [], [0xFF]];
        await using var source = FeedSource.Create(feed, Frames.Concat([.. payloads.Select(p => GrpcFrames.Frame(p))]));
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        var messages = await ReadAllAsync(reader);

        Assert.Equal(payloads, messages.Select(m => m.Payload));
        Assert.All(messages, m => Assert.False(m.Compressed));
        Assert.Equal(5, reader.MessagesRead);
        AssertFullyConsumed(source, Frames.Concat([.. payloads.Select(p => GrpcFrames.Frame(p))]).Length);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_EmptyStream_ReturnsFalse(Feed feed)
    {
        await using var source = FeedSource.Create(feed, []);
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        Assert.False(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.False(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout)); // stays at the end
        Assert.Equal(0, reader.MessagesRead);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_OnlyEmptyMessages_ReturnsEmptyPayloads(Feed feed)
    {
        await using var source = FeedSource.Create(feed, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        var messages = await ReadAllAsync(reader);

        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Empty(m.Payload));
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_MessageSplitAcrossSegments_IsReassembled(Feed feed)
    {
        var payload = Frames.Random(10_000, seed: 5);
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(payload));
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(payload, reader.Current.ToArray());
        if (feed is Feed.OneByteSegments or Feed.OneByteSegmentsAllAtOnce)
        {
            // Zero-copy: the payload is a slice of the input segments, not a copy.
            Assert.Equal(payload.Length, Segments.SegmentCount(reader.Current));
        }

        Assert.False(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_MessageExactlyAtLimit_IsAccepted(Feed feed)
    {
        var payload = Frames.Random(1000, seed: 8);
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(payload));
        using var reader = new GrpcMessageReader(source.Reader, maxMessageSize: 1000, decompressor: null);

        var messages = await ReadAllAsync(reader);

        Assert.Equal(payload, Assert.Single(messages).Payload);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_StreamEndsInsideHeader_ThrowsInternalIncompleteMessage(Feed feed)
    {
        for (var headerBytes = 1; headerBytes < 5; headerBytes++)
        {
            var data = Frames.Concat(GrpcFrames.Frame([1, 2, 3]), GrpcFrames.Header(16).AsSpan(0, headerBytes).ToArray());
            await using var source = FeedSource.Create(feed, data);
            using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

            Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
            var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

            Assert.Equal(StatusCode.Internal, ex.StatusCode);
            Assert.StartsWith("Incomplete message", ex.Status.Detail, StringComparison.Ordinal);
            Assert.Contains($"{headerBytes} byte(s)", ex.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_StreamEndsInsideBody_ThrowsInternalIncompleteMessage(Feed feed)
    {
        // Header says 16 bytes, 3 arrive, then end of stream.
        await using var source = FeedSource.Create(feed, Frames.Concat(GrpcFrames.Header(16), [1, 2, 3]));
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal("Incomplete message: the stream ended 8 byte(s) into a message.", ex.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(OpenFeeds))]
    public async Task MoveNext_HeaderOfTwoGiBMessage_ThrowsResourceExhaustedBeforeTheBodyArrives(Feed feed)
    {
        // Only the 5-byte header is ever sent and the stream stays open: waiting for the body would hang.
        await using var source = FeedSource.Create(feed, [0x00, 0x80, 0x00, 0x00, 0x00], complete: false);
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal($"Received message larger than max (2147483648 vs. {Limit})", ex.Status.Detail);
        Assert.False(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout)); // the reader is finished
    }

    [Theory]
    [MemberData(nameof(OpenFeeds))]
    public async Task MoveNext_OversizedMessageAfterAGoodOne_FailsOnItsHeader(Feed feed)
    {
        var data = Frames.Concat(GrpcFrames.Frame([7, 7]), GrpcFrames.Header(Limit + 1u));
        await using var source = FeedSource.Create(feed, data, complete: false);
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(new byte[] { 7, 7 }, reader.Current.ToArray());
        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Theory]
    [MemberData(nameof(OpenFeeds))]
    public async Task MoveNext_IncompleteMessageOnOpenStream_WaitsForMoreData(Feed feed)
    {
        // The opposite of the test above: a valid partial message must not fail, it must wait.
        await using var source = FeedSource.Create(feed, Frames.Concat(GrpcFrames.Header(10), [1, 2]), complete: false);
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.MoveNextAsync(cts.Token).AsTask().WaitAsync(Timeout));
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_InvalidFlags_ThrowsInternal(Feed feed)
    {
        await using var source = FeedSource.Create(feed, Frames.Concat(GrpcFrames.Frame([1]), GrpcFrames.Frame([2], flags: 0x7F)));
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("0x7F", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_CompressedFlagWithoutEncoding_ThrowsInternal(Feed feed)
    {
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(Frames.Gzip([1, 2, 3]), compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, decompressor: null);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("compressed", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("grpc-encoding", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_GzipMessages_AreDecompressed(Feed feed)
    {
        var first = "hello gzip"u8.ToArray();
        var second = Frames.Random(5000, seed: 9);
        var data = Frames.Concat(GrpcFrames.Frame(Frames.Gzip(first), compressed: true), GrpcFrames.Frame([9, 9], compressed: false), GrpcFrames.Frame(Frames.Gzip(second), compressed: true));
        await using var source = FeedSource.Create(feed, data);
        using var reader = new GrpcMessageReader(source.Reader, Limit, GzipCompressionProvider.Instance);

        var messages = await ReadAllAsync(reader);

        Assert.Equal(3, messages.Count);
        Assert.Equal([true, false, true], messages.Select(m => m.Compressed)); // flag 0 passes through
        Assert.Equal(first, messages[0].Payload);
        Assert.Equal(new byte[] { 9, 9 }, messages[1].Payload);
        Assert.Equal(second, messages[2].Payload);
        AssertFullyConsumed(source, data.Length);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_DeflateMessage_IsDecompressedAsZlib(Feed feed)
    {
        var payload = "deflate in gRPC is zlib (RFC 1950)"u8.ToArray();
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(Frames.Zlib(payload), compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, DeflateCompressionProvider.Instance);

        var messages = await ReadAllAsync(reader);

        Assert.Equal(payload, Assert.Single(messages).Payload);
        Assert.True(messages[0].Compressed);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_DecompressionBomb_ThrowsResourceExhausted(Feed feed)
    {
        // 16 MiB of zeros compresses to ~16 KiB: the frame is under the limit, its content is not.
        var bomb = Frames.Gzip(new byte[16 * 1024 * 1024]);
        Assert.True(bomb.Length < Limit);
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(bomb, compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, GzipCompressionProvider.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("after decompression", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_DecompressedExactlyAtLimit_IsAccepted(Feed feed)
    {
        var payload = new byte[Limit];
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(Frames.Gzip(payload), compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, GzipCompressionProvider.Instance);

        var messages = await ReadAllAsync(reader);

        Assert.Equal(Limit, Assert.Single(messages).Payload.Length);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_CorruptGzip_ThrowsInternal(Feed feed)
    {
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02], compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, GzipCompressionProvider.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("'gzip'", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_CorruptDeflate_ThrowsInternal(Feed feed)
    {
        // A raw-deflate (not zlib) body: invalid zlib header.
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame([0xFF, 0xFF, 0x00, 0x11, 0x22], compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, DeflateCompressionProvider.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("'deflate'", ex.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// .NET's GZipStream/ZLibStream report a clean end of stream when the compressed input stops
    /// before the final block or the trailer; the reader must still refuse the shorter payload
    /// (regression: it once delivered it).
    /// </summary>
    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_TruncatedGzip_ThrowsInternal(Feed feed)
    {
        // A gzip member cut in half (no final block, no CRC/ISIZE trailer) is corrupt, not a shorter message.
        var whole = Frames.Gzip(Frames.Random(4000, seed: 4));
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(whole[..(whole.Length / 2)], compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, GzipCompressionProvider.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await reader.MoveNextAsync().AsTask().WaitAsync(Timeout);
            Assert.Fail($"A truncated gzip body was accepted as a {reader.Current.Length}-byte message (the original had 4000).");
        });

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    /// <summary>As <see cref="MoveNext_TruncatedGzip_ThrowsInternal"/>, for deflate (zlib) with its Adler-32 trailer lost.</summary>
    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_ZlibMissingAdlerTrailer_ThrowsInternal(Feed feed)
    {
        var whole = Frames.Zlib(Frames.Random(4000, seed: 4));
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(whole[..^4], compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, DeflateCompressionProvider.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await reader.MoveNextAsync().AsTask().WaitAsync(Timeout);
            Assert.Fail($"A zlib body without its Adler-32 trailer was accepted ({reader.Current.Length} bytes).");
        });

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AllFeeds))]
    public async Task MoveNext_GzipWithCorruptCrc_ThrowsInternal(Feed feed)
    {
        var gzip = Frames.Gzip(Frames.Random(4000, seed: 4));
        gzip[^6] ^= 0xFF; // inside the CRC-32 of the trailer
        await using var source = FeedSource.Create(feed, GrpcFrames.Frame(gzip, compressed: true));
        using var reader = new GrpcMessageReader(source.Reader, Limit, GzipCompressionProvider.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    /// <summary>
    /// Regression: an invalid flags byte once threw with the pipe read still outstanding, so the next
    /// MoveNextAsync failed with the pipe's "Reading is already in progress" instead of ending cleanly.
    /// </summary>
    [Fact]
    public async Task MoveNext_AfterInvalidFlagsError_DoesNotBreakThePipeProtocol()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(GrpcFrames.Frame([1, 2, 3], flags: 0x7F));
        await pipe.Writer.CompleteAsync();
        using var reader = new GrpcMessageReader(pipe.Reader, Limit, decompressor: null);
        var first = await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(StatusCode.Internal, first.StatusCode);

        var second = await Record.ExceptionAsync(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.True(second is null or RpcException, $"Second MoveNextAsync threw {second}");
    }

    [Fact]
    public async Task MoveNext_AfterCompressedWithoutEncodingError_SkipsTheBadMessage()
    {
        // The one other error path that leaves a read outstanding does release it (as the pending message).
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.Concat(GrpcFrames.Frame([1, 2, 3], compressed: true), GrpcFrames.Frame([4])));
        await pipe.Writer.CompleteAsync();
        using var reader = new GrpcMessageReader(pipe.Reader, Limit, decompressor: null);
        await Assert.ThrowsAsync<RpcException>(() => reader.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(new byte[] { 4 }, reader.Current.ToArray());
    }

    [Fact]
    public async Task MoveNext_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        var pipe = new Pipe();
        using var reader = new GrpcMessageReader(pipe.Reader, Limit, decompressor: null);
        using var cts = new CancellationTokenSource();

        var pending = reader.MoveNextAsync(cts.Token).AsTask();
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Timeout));
    }

    [Fact]
    public async Task MoveNext_MessageArrivesAfterTheReadStarted_CompletesTheRead()
    {
        var pipe = new Pipe();
        using var reader = new GrpcMessageReader(pipe.Reader, Limit, decompressor: null);

        var pending = reader.MoveNextAsync().AsTask();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0xAB });
        Assert.False(pending.IsCompleted); // one byte of the body is still missing
        await pipe.Writer.WriteAsync(new byte[] { 0xCD });

        Assert.True(await pending.WaitAsync(Timeout));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, reader.Current.ToArray());
    }

    private static async Task<List<(bool Compressed, byte[] Payload)>> ReadAllAsync(GrpcMessageReader reader)
    {
        var messages = new List<(bool, byte[])>();
        while (await reader.MoveNextAsync().AsTask().WaitAsync(Timeout))
        {
            messages.Add((reader.CurrentWasCompressed, reader.Current.ToArray()));
        }

        return messages;
    }

    private static void AssertFullyConsumed(FeedSource source, long length)
    {
        if (source.Segmented is { } segmented)
        {
            Assert.Equal(length, segmented.Consumed);
        }
    }
}
