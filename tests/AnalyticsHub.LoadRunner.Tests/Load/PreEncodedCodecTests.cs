using System.Buffers;
using System.IO.Pipelines;
using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.LoadRunner.Tests.Load;

public class PreEncodedCodecTests
{
    [Fact]
    public async Task Encode_LargeMessageIntoAPipe_IsOneFrameWithTheExactBytes()
    {
        var message = new byte[150_000];
        new Random(1).NextBytes(message);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 4096, pauseWriterThreshold: 0));

        using (var writer = new GrpcMessageWriter(pipe.Writer))
        {
            writer.Write<ReadOnlyMemory<byte>>(message, PreEncodedCodec.Instance);
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
        PreEncodedCodec.Instance.Encode(ReadOnlyMemory<byte>.Empty, output);
        Assert.Equal(0, output.WrittenCount);
        Assert.Equal(0, PreEncodedCodec.Instance.GetSize(ReadOnlyMemory<byte>.Empty));
    }
}
