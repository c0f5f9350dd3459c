using AnalyticsHub.Protocol.Ingest;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Ingest;

/// <summary>
/// <see cref="BatchAckWriter"/> against Google.Protobuf's <c>BatchAck</c>: the same message, and —
/// since both write fields in number order and omit proto3 defaults — the same bytes.
/// </summary>
public sealed class BatchAckWriterTests
{
    public static TheoryData<string, V1.BatchAck> Acks => new()
    {
        { "all zero: an empty message", new V1.BatchAck() },
        { "sequence only", new V1.BatchAck { Sequence = 42 } },
        { "counts without sequence", new V1.BatchAck { Accepted = 7, Duplicates = 3 } },
        { "largest values", new V1.BatchAck { Sequence = ulong.MaxValue, Accepted = uint.MaxValue, Rejected = 1, Duplicates = uint.MaxValue, Rejections = { Rejection(int.MaxValue, "x", "c", "m") } } },
        {
            "rejections with every field",
            new V1.BatchAck
            {
                Sequence = 300, Accepted = 998, Rejected = 2,
                Rejections =
                {
                    Rejection(3, "0f8fad5b-d9cb-469f-a165-70867728950e", "negative_metric", "metric_value -2000 is negative; telemetry values must be ≥ 0."),
                    Rejection(200, "not-a-uuid", "invalid_uuid", "event_id 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits)."),
                },
            }
        },
        { "index 0 and empty event_id are omitted", new V1.BatchAck { Rejected = 1, Rejections = { Rejection(0, "", "missing_field", "event_id is required.") } } },
        { "empty code and message are omitted", new V1.BatchAck { Rejected = 1, Rejections = { Rejection(5, "id", "", "") } } },
        { "an all-default rejection is an empty entry", new V1.BatchAck { Rejected = 1, Rejections = { new V1.EventRejection() } } },
        { "UTF-8 text: 2-, 3- and 4-byte characters", new V1.BatchAck { Rejected = 1, Rejections = { Rejection(1, "ünïcödé-id", "invalid_value", "größer als ∞ — 𝄞 🎵 日本語") } } },
        { "a message over 127 bytes (2-byte length)", new V1.BatchAck { Rejected = 1, Rejections = { Rejection(1, "id", "c", new string('m', 300)) } } },
        { "a message over 16 KiB (3-byte length)", new V1.BatchAck { Rejected = 1, Rejections = { Rejection(1, "id", "c", new string('é', 10_000)) } } },
    };

    [Theory]
    [MemberData(nameof(Acks))]
    public void Encode_IsGoogleProtobufsBatchAck_ByteForByte(string description, V1.BatchAck expected)
    {
        var bytes = Encode(expected);

        Assert.Equal(expected, V1.BatchAck.Parser.ParseFrom(bytes));
        Assert.True(expected.ToByteArray().AsSpan().SequenceEqual(bytes), description);
    }

    [Fact]
    public void Encode_SpelledOut()
    {
        var bytes = BatchAckWriter.Encode(
            42, new AdmissionCounts(1, 1, 2), [new RejectionInfo(3, "c", "é")], ["i"]);

        byte[] expected =
        [
            0x08, 0x2A,                         // sequence = 1: 42
            0x10, 0x01,                         // accepted = 2: 1
            0x18, 0x01,                         // rejected = 3: 1
            0x22, 0x0C,                         // rejections = 4, 12 bytes:
            0x08, 0x03,                         //   index = 1: 3
            0x12, 0x01, (byte)'i',              //   event_id = 2
            0x1A, 0x01, (byte)'c',              //   code = 3
            0x22, 0x02, 0xC3, 0xA9,             //   message = 4: "é" in UTF-8
            0x28, 0x02,                         // duplicates = 5: 2
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Encode_ReturnsAnExactSizeArray()
    {
        var ack = (V1.BatchAck)Acks.First(d => (string)d[0] == "rejections with every field")[1];

        Assert.Equal(ack.CalculateSize(), Encode(ack).Length);
    }

    private static byte[] Encode(V1.BatchAck ack) => BatchAckWriter.Encode(
        ack.Sequence,
        new AdmissionCounts(ack.Accepted, ack.Rejected, ack.Duplicates),
        ack.Rejections.Select(r => new RejectionInfo((int)r.Index, r.Code, r.Message)).ToArray(),
        ack.Rejections.Select(r => r.EventId).ToArray());

    private static V1.EventRejection Rejection(int index, string eventId, string code, string message) =>
        new() { Index = (uint)index, EventId = eventId, Code = code, Message = message };
}
