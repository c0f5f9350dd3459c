using System.Buffers;
using Google.Protobuf;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>Codec for Google.Protobuf generated messages (tests, clients, control-plane services).</summary>
public sealed class ProtobufCodec<T> : IMessageCodec<T>
    where T : IMessage<T>, new()
{
    public static readonly ProtobufCodec<T> Instance = new();

    private static readonly MessageParser<T> Parser = new(() => new T());
    private static readonly string TypeName = new T().Descriptor.FullName;

    public T Decode(in ReadOnlySequence<byte> payload)
    {
        try
        {
            return Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Failed to parse message as {TypeName}: {ex.Message}");
        }
    }

    public int GetSize(T message) => message.CalculateSize();

    public void Encode(T message, IBufferWriter<byte> output) => message.WriteTo(output);
}
