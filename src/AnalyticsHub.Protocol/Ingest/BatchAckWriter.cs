using AnalyticsHub.Protocol.Events;

namespace AnalyticsHub.Protocol.Ingest;

/// <summary>Encodes <c>analyticshub.v1.BatchAck</c>: once per batch, into an exact-size array the idempotency table can keep.</summary>
public static class BatchAckWriter
{
    private const int Sequence = 1;
    private const int Accepted = 2;
    private const int Rejected = 3;
    private const int Rejections = 4;
    private const int Duplicates = 5;

    private const int RejectionIndex = 1;
    private const int RejectionEventId = 2;
    private const int RejectionCode = 3;
    private const int RejectionMessage = 4;

    /// <param name="eventIds">The event_id of each rejection, in the same order (may be empty strings).</param>
    public static byte[] Encode(ulong sequence, in AdmissionCounts counts, ReadOnlySpan<RejectionInfo> rejections, ReadOnlySpan<string> eventIds)
    {
        int size = VarintFieldSize(Sequence, sequence) + VarintFieldSize(Accepted, counts.Accepted)
            + VarintFieldSize(Rejected, counts.Rejected) + VarintFieldSize(Duplicates, counts.Duplicates);
        for (int i = 0; i < rejections.Length; i++)
        {
            size += ProtoWriter.LengthDelimitedSize(Rejections, RejectionSize(rejections[i], eventIds[i]));
        }

        var buffer = new byte[size];
        var writer = new ProtoWriter(buffer);
        WriteVarintField(ref writer, Sequence, sequence);
        WriteVarintField(ref writer, Accepted, counts.Accepted);
        WriteVarintField(ref writer, Rejected, counts.Rejected);
        for (int i = 0; i < rejections.Length; i++)
        {
            var rejection = rejections[i];
            writer.WriteLengthDelimitedHeader(Rejections, RejectionSize(rejection, eventIds[i]));
            WriteVarintField(ref writer, RejectionIndex, (uint)rejection.Index);
            WriteStringField(ref writer, RejectionEventId, eventIds[i]);
            WriteStringField(ref writer, RejectionCode, rejection.Code);
            WriteStringField(ref writer, RejectionMessage, rejection.Message);
        }
        WriteVarintField(ref writer, Duplicates, counts.Duplicates);
        return buffer;
    }

    private static int RejectionSize(in RejectionInfo rejection, string eventId) =>
        VarintFieldSize(RejectionIndex, (uint)rejection.Index) + StringFieldSize(RejectionEventId, eventId)
        + StringFieldSize(RejectionCode, rejection.Code) + StringFieldSize(RejectionMessage, rejection.Message);

    // proto3: default values are not written.
    private static int VarintFieldSize(int field, ulong value) => value == 0 ? 0 : ProtoWriter.TagLength(field) + ProtoWriter.VarintLength(value);

    private static int StringFieldSize(int field, string text) =>
        text.Length == 0 ? 0 : ProtoWriter.LengthDelimitedSize(field, System.Text.Encoding.UTF8.GetByteCount(text));

    private static void WriteVarintField(ref ProtoWriter writer, int field, ulong value)
    {
        if (value != 0)
        {
            writer.WriteVarintField(field, value);
        }
    }

    private static void WriteStringField(ref ProtoWriter writer, int field, string text)
    {
        if (text.Length != 0)
        {
            writer.WriteStringField(field, text);
        }
    }
}
