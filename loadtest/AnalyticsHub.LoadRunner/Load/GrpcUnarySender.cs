using AnalyticsHub.Client;
using AnalyticsHub.LoadRunner.Generation;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>One producer making <c>IngestBatch</c> unary calls, W at a time.</summary>
internal sealed class GrpcUnarySender(RunContext run, GrpcChannel channel, int connection, int stream, int senderIndex)
    : CallSender(run, connection, stream, senderIndex)
{
    protected override IBatchBuffer CreateBuffer(int slot) =>
        new ProtoBuffer(Run.CreateProtoTemplate(SenderIndex, ProducerId), Run.CreateTimeSpread((SenderIndex * Run.Scenario.Inflight) + slot));

    protected override async Task<CallAck> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var ack = await channel.UnaryAsync(IngestMethods.IngestBatch, body, new CallOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
        return new CallAck(ack.Accepted, ack.Rejected, ack.Duplicates, ack.Rejections.Count > 0 ? [.. ack.Rejections.Select(r => r.Code)] : null);
    }

    private sealed class ProtoBuffer(ProtoBatchTemplate template, TimeSpread? spread) : IBatchBuffer
    {
        public ReadOnlyMemory<byte> Patch(ulong firstCounter, ulong sequence) => template.Patch(firstCounter, RunContext.NowUnixNano(), sequence, spread);
    }
}
