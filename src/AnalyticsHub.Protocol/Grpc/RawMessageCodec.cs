using System.Buffers;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>Messages that are already encoded: written as given, read as a copy.</summary>
public sealed class RawMessageCodec : IMessageCodec<ReadOnlyMemory<byte>>
{
    public static RawMessageCodec Instance { get; } = new();

    public ReadOnlyMemory<byte> Decode(in ReadOnlySequence<byte> payload) => payload.ToArray();

    public int GetSize(ReadOnlyMemory<byte> message) => message.Length;

    public void Encode(ReadOnlyMemory<byte> message, IBufferWriter<byte> output) => output.Write(message.Span);
}
