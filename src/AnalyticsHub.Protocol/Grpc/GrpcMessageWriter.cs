using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Internal;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// Writes length-prefixed gRPC messages into an <see cref="IBufferWriter{T}"/> (a PipeWriter in practice).
/// Uncompressed messages of known size are encoded straight into the output; flushing is the caller's.
/// </summary>
public sealed class GrpcMessageWriter : IDisposable
{
    private readonly IBufferWriter<byte> _output;
    private readonly int _maxMessageSize;
    private readonly CompressionLevel _compressionLevel;
    private PooledBufferWriter? _scratch;
    private PooledBufferWriter? _compressed;

    public GrpcMessageWriter(IBufferWriter<byte> output, int maxMessageSize = int.MaxValue, CompressionLevel compressionLevel = CompressionLevel.Fastest)
    {
        _output = output;
        _maxMessageSize = maxMessageSize;
        _compressionLevel = compressionLevel;
    }

    /// <summary>The stream's <c>grpc-encoding</c>; messages are compressed only when this is set and asked for.</summary>
    public ICompressionProvider? Compression { get; set; }

    public long MessagesWritten { get; private set; }

    public void Write<T>(T message, IMessageCodec<T> codec, bool compress = true)
    {
        var size = codec.GetSize(message);
        if (size >= 0 && (Compression is null || !compress))
        {
            CheckSize(size);
            new FrameHeader(false, (uint)size).Write(_output.GetSpan(GrpcProtocol.FrameHeaderLength));
            _output.Advance(GrpcProtocol.FrameHeaderLength);
            codec.Encode(message, _output);
            MessagesWritten++;
            return;
        }

        var scratch = _scratch ??= new PooledBufferWriter();
        scratch.Clear();
        codec.Encode(message, scratch);
        WritePayload(scratch.WrittenSpan, compress);
    }

    /// <summary>Writes an already-encoded payload.</summary>
    public void WritePayload(ReadOnlySpan<byte> payload, bool compress = true)
    {
        CheckSize(payload.Length);
        var compressed = false;
        if (Compression is not null && compress)
        {
            var target = _compressed ??= new PooledBufferWriter();
            target.Clear();
            MessageCompression.Compress(Compression, payload, target, _compressionLevel);
            payload = target.WrittenSpan;
            compressed = true;
        }

        var span = _output.GetSpan(GrpcProtocol.FrameHeaderLength);
        new FrameHeader(compressed, (uint)payload.Length).Write(span);
        _output.Advance(GrpcProtocol.FrameHeaderLength);
        _output.Write(payload);

        MessagesWritten++;
    }

    public void Dispose()
    {
        _scratch?.Dispose();
        _compressed?.Dispose();
        _scratch = null;
        _compressed = null;
    }

    private void CheckSize(int size)
    {
        if (size > _maxMessageSize)
        {
            ThrowTooLarge(size, _maxMessageSize);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(int size, int max) =>
        throw new RpcException(StatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {max})");
}
