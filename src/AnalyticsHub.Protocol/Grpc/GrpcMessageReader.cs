using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Internal;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a <see cref="PipeReader"/> without copying them:
/// <see cref="Current"/> is a slice of the pipe's own buffers (or of a pooled buffer when the
/// message was compressed) and stays valid until the next <see cref="MoveNextAsync"/>.
/// The size limit is checked on the 5-byte header, before any of the body is buffered.
/// </summary>
public sealed class GrpcMessageReader : IDisposable
{
    private readonly PipeReader _reader;
    private readonly int _maxMessageSize;
    private readonly ICompressionProvider? _decompressor;
    private PooledBufferWriter? _decompressed;
    private SequencePosition _pendingConsumed;
    private bool _hasPending;
    private bool _completed;

    /// <param name="reader">The request or response body.</param>
    /// <param name="maxMessageSize">Largest accepted message, compressed or not.</param>
    /// <param name="decompressor">The provider named by the stream's <c>grpc-encoding</c>, or null for identity.</param>
    public GrpcMessageReader(PipeReader reader, int maxMessageSize, ICompressionProvider? decompressor)
    {
        _reader = reader;
        _maxMessageSize = maxMessageSize;
        _decompressor = decompressor;
    }

    /// <summary>The payload of the message read last (decompressed).</summary>
    public ReadOnlySequence<byte> Current { get; private set; }

    /// <summary>Whether the message read last had the compressed flag set.</summary>
    public bool CurrentWasCompressed { get; private set; }

    /// <summary>Number of messages read so far.</summary>
    public long MessagesRead { get; private set; }

    /// <summary>Reads the next message; false at a clean end of stream.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED for an oversized message, INTERNAL for a truncated or malformed one.</exception>
    public ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        ReleasePending();
        if (_completed)
        {
            return new ValueTask<bool>(false);
        }

        // Fast path: the next message is already buffered.
        if (_reader.TryRead(out var result))
        {
            if (TryTakeMessage(result.Buffer))
            {
                return new ValueTask<bool>(true);
            }

            if (result.IsCompleted)
            {
                return new ValueTask<bool>(Finish(result.Buffer));
            }

            _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        return MoveNextSlowAsync(cancellationToken);
    }

    public void Dispose()
    {
        _decompressed?.Dispose();
        _decompressed = null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> MoveNextSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was cancelled.");
            }

            if (TryTakeMessage(result.Buffer))
            {
                return true;
            }

            if (result.IsCompleted)
            {
                return Finish(result.Buffer);
            }

            // Nothing consumed, everything examined: the pipe wakes us only when more data arrives.
            _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private bool TryTakeMessage(in ReadOnlySequence<byte> buffer)
    {
        FrameHeader header;
        try
        {
            if (!FrameHeader.TryRead(buffer, out header))
            {
                return false;
            }
        }
        catch (RpcException)
        {
            // Leave the pipe consistent: the read is finished and this stream yields nothing more.
            _reader.AdvanceTo(buffer.Start, buffer.End);
            _completed = true;
            throw;
        }

        if (header.Length > (uint)_maxMessageSize)
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
            _completed = true;
            ThrowTooLarge(header.Length, _maxMessageSize);
        }

        var frameLength = GrpcProtocol.FrameHeaderLength + (long)header.Length;
        if (buffer.Length < frameLength)
        {
            return false;
        }

        var payload = buffer.Slice(GrpcProtocol.FrameHeaderLength, header.Length);
        _pendingConsumed = payload.End;
        _hasPending = true;
        MessagesRead++;
        CurrentWasCompressed = header.Compressed;
        if (!header.Compressed)
        {
            Current = payload;
            return true;
        }

        if (_decompressor is null)
        {
            ThrowCompressedWithoutEncoding();
            return false;
        }

        _decompressed ??= new PooledBufferWriter();
        MessageCompression.Decompress(_decompressor, payload, _decompressed, _maxMessageSize);
        Current = new ReadOnlySequence<byte>(_decompressed.WrittenMemory);
        return true;
    }

    private bool Finish(in ReadOnlySequence<byte> buffer)
    {
        var leftover = buffer.Length;
        _reader.AdvanceTo(buffer.End);
        _completed = true;
        Current = default;
        if (leftover != 0)
        {
            ThrowTruncated(leftover);
        }

        return false;
    }

    private void ReleasePending()
    {
        if (_hasPending)
        {
            _hasPending = false;
            Current = default;
            _reader.AdvanceTo(_pendingConsumed);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(uint length, int max) =>
        throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {max})");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTruncated(long leftover) =>
        throw new RpcException(StatusCode.Internal, $"Incomplete message: the stream ended {leftover} byte(s) into a message.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCompressedWithoutEncoding() =>
        throw new RpcException(StatusCode.Internal, "Received a compressed message but the stream has no grpc-encoding.");
}
