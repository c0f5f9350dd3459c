using System.Buffers;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>Turns message payloads into values and back. Decoding errors are thrown as <see cref="RpcException"/>.</summary>
public interface IMessageCodec<T>
{
    /// <summary>Decodes one message; the payload is only valid for the duration of the call.</summary>
    T Decode(in ReadOnlySequence<byte> payload);

    /// <summary>The exact encoded size, or -1 when it is only known after encoding.</summary>
    int GetSize(T message);

    void Encode(T message, IBufferWriter<byte> output);
}
