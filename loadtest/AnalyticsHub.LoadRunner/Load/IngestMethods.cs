using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// <c>analyticshub.v1.EventIngestion</c> with pre-encoded requests: the request codec writes the
/// template's bytes as they are (<see cref="RawMessageCodec"/>), acks are parsed with Google.Protobuf.
/// </summary>
internal static class IngestMethods
{
    private const string Service = "analyticshub.v1.EventIngestion";

    public static readonly Method<ReadOnlyMemory<byte>, BatchAck> StreamEvents =
        new(MethodType.DuplexStreaming, Service, "StreamEvents", RawMessageCodec.Instance, ProtobufCodec<BatchAck>.Instance);

    public static readonly Method<ReadOnlyMemory<byte>, BatchAck> IngestBatch =
        new(MethodType.Unary, Service, "IngestBatch", RawMessageCodec.Instance, ProtobufCodec<BatchAck>.Instance);
}
