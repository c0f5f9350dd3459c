using AnalyticsHub.Core.Events;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Ingest;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Ingest;

/// <summary>
/// <see cref="IngestRecordReader"/> and <see cref="EventBatchDecoder.TryDecodeRecord"/> on records
/// that are cut short, garbage, or claim impossible lengths: they answer false and never throw.
/// </summary>
public sealed class IngestRecordReaderHostileInputTests
{
    [Fact]
    public void TruncatedAtEveryOffset_IsRejectedUnlessTheCutFallsBetweenTopLevelFields()
    {
        using var admitted = Mixed();
        var record = admitted.Record;
        var boundaries = TopLevelFieldBoundaries(record);
        Assert.Equal(8, boundaries.Count); // 0, then the end of producer, sequence, info, 2 events, 2 dead letters

        using var batch = new EventBatch();
        for (var cut = 0; cut < record.Length; cut++)
        {
            var prefix = record.AsSpan(0, cut);
            var whole = boundaries.Contains(cut);

            Assert.True(whole == IngestRecordReader.TryReadInfo(prefix, out _), $"TryReadInfo, cut at {cut}");
            Assert.True(whole == IngestRecordReader.TryReadDeadLetters(prefix, new List<DeadLetterEntry>()), $"TryReadDeadLetters, cut at {cut}");
            batch.Load(prefix);
            Assert.True(whole == EventBatchDecoder.TryDecodeRecord(batch, out _), $"TryDecodeRecord, cut at {cut}");
        }
    }

    [Fact]
    public void TruncatedRecord_CutBetweenFields_ReadsWhatIsThere()
    {
        using var admitted = Mixed();
        var record = admitted.Record;
        var boundaries = TopLevelFieldBoundaries(record).Order().ToList();

        // Cut right after the info block (producer, sequence, info): counts but no events or dead letters.
        var afterInfo = boundaries[3];
        Assert.True(IngestRecordReader.TryReadInfo(record.AsSpan(0, afterInfo), out var info));
        Assert.Equal((42UL, 2u, 2u, 0u), (info.Sequence, info.Accepted, info.Rejected, info.Duplicates));
        var deadLetters = new List<DeadLetterEntry>();
        Assert.True(IngestRecordReader.TryReadDeadLetters(record.AsSpan(0, afterInfo), deadLetters));
        Assert.Empty(deadLetters);
    }

    public static TheoryData<string, byte[]> MalformedEnvelopes => new()
    {
        { "tag varint cut short", [0x80] },
        { "field number 0", [0x02, 0x00] },
        { "group start (wire type 3)", [0x0B] },
        { "group end (wire type 4)", [0x0C] },
        { "wire type 6", [0x0E] },
        { "wire type 7", [0x0F] },
        { "11-byte varint", [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "10th varint byte above 1", [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02] },
        { "producer length 2^63", [0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
        { "producer length 2^64-1", [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "info length 2^31", [0xA2, 0x06, 0x80, 0x80, 0x80, 0x80, 0x08] },
        { "info length int.MaxValue", [0xA2, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x07] },
        { "dead letter length 2^32", [0xAA, 0x06, 0x80, 0x80, 0x80, 0x80, 0x10] },
        { "event length one past the end", [0x0A, 0x03, 0x4A, 0x01] },
        { "unknown field with a huge length", [0xF2, 0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "unknown fixed64 cut short", [0xF1, 0x07, 1, 2, 3] },
        { "unknown fixed32 cut short", [0xF5, 0x07, 1, 2, 3] },
        { "valid info, then garbage", [0xA2, 0x06, 0x00, 0xFF] },
    };

    [Theory]
    [MemberData(nameof(MalformedEnvelopes))]
    public void MalformedEnvelope_EveryReaderReturnsFalse(string description, byte[] record)
    {
        Assert.False(IngestRecordReader.TryReadInfo(record, out var info), description);
        Assert.Equal(default, info);
        Assert.False(IngestRecordReader.TryReadDeadLetters(record, new List<DeadLetterEntry>()), description);
        using var batch = new EventBatch();
        batch.Load(record);
        Assert.False(EventBatchDecoder.TryDecodeRecord(batch, out _), description);
    }

    public static TheoryData<string, byte[]> MalformedInfoBlocks => new()
    {
        { "received time cut short", [0xA2, 0x06, 0x03, 0x09, 0x01, 0x02] },
        { "count varint cut short", [0xA2, 0x06, 0x02, 0x10, 0x80] },
        { "invalid tag inside", [0xA2, 0x06, 0x01, 0x07] },
        { "nested length past the block", [0xA2, 0x06, 0x03, 0x2A, 0x7F, 0x00] },
        { "nested length 2^63", [0xA2, 0x06, 0x0B, 0x2A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
    };

    [Theory]
    [MemberData(nameof(MalformedInfoBlocks))]
    public void MalformedInfoBlock_TryReadInfoReturnsFalse(string description, byte[] record) =>
        Assert.False(IngestRecordReader.TryReadInfo(record, out _), description);

    public static TheoryData<string, byte[]> MalformedDeadLetters => new()
    {
        { "event length 2^32-1 inside", [0xAA, 0x06, 0x06, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
        { "event length past the dead letter", [0xAA, 0x06, 0x03, 0x0A, 0x05, 0x00] },
        { "index varint cut short", [0xAA, 0x06, 0x02, 0x10, 0x80] },
        { "wire type 7 inside", [0xAA, 0x06, 0x01, 0x0F] },
        { "second dead letter malformed", [0xAA, 0x06, 0x02, 0x10, 0x01, 0xAA, 0x06, 0x01, 0x80] },
    };

    [Theory]
    [MemberData(nameof(MalformedDeadLetters))]
    public void MalformedDeadLetter_TryReadDeadLettersReturnsFalse(string description, byte[] record) =>
        Assert.False(IngestRecordReader.TryReadDeadLetters(record, new List<DeadLetterEntry>()), description);

    [Fact]
    public void DeadLetter_OutOfRangeNumbersAndInvalidUtf8_AreClampedAndReplaced()
    {
        // index = 2^64-1, source_module = 300, code = 0xFF (not UTF-8).
        byte[] record = [0xAA, 0x06, 0x13, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x30, 0xAC, 0x02, 0x1A, 0x01, 0xFF, 0x0A, 0x00];
        var deadLetters = new List<DeadLetterEntry>();

        Assert.True(IngestRecordReader.TryReadDeadLetters(record, deadLetters));

        var entry = Assert.Single(deadLetters);
        Assert.Equal(int.MaxValue, entry.Index);
        Assert.Equal((SourceModule)byte.MaxValue, entry.SourceModule);
        Assert.Equal("\uFFFD", entry.Code);
        Assert.Empty(entry.Event);
        Assert.Equal(("", "", ""), (entry.Message, entry.EventId, entry.TenantId));
    }

    [Fact]
    public void Garbage_NeverThrows()
    {
        var random = new Random(1234);
        using var batch = new EventBatch();
        for (var i = 0; i < 20_000; i++)
        {
            var garbage = new byte[random.Next(0, 96)];
            random.NextBytes(garbage);
            ReadAll(garbage, batch);
        }
    }

    [Fact]
    public void RandomMutationsOfAValidRecord_NeverThrow()
    {
        using var admitted = Mixed();
        var random = new Random(99);
        using var batch = new EventBatch();
        for (var i = 0; i < 5_000; i++)
        {
            var mutated = admitted.Record.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            ReadAll(mutated, batch);
        }
    }

    private static void ReadAll(byte[] record, EventBatch batch)
    {
        // The results do not matter here; not throwing does (xunit fails the test on any exception).
        IngestRecordReader.TryReadInfo(record, out _);
        IngestRecordReader.TryReadDeadLetters(record, new List<DeadLetterEntry>());
        batch.Load(record);
        EventBatchDecoder.TryDecodeRecord(batch, out _);
    }

    /// <summary>Two accepted events, two dead letters: every kind of top-level field.</summary>
    private static AdmittedBatch Mixed() => AdmittedBatch.Of(
        Event("0f8fad5b-d9cb-469f-a165-708677289501", "ms", 1),
        Event("not-a-uuid", "ms", 2),
        Event("0f8fad5b-d9cb-469f-a165-708677289503", "s", 3),
        Event("0f8fad5b-d9cb-469f-a165-708677289504", "ms", -4));

    private static V1.AnalyticsEvent Event(string id, string unit, double value) => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)AdmittedBatch.Now,
        SourceModule = V1.SourceModule.LlmObservatory,
        EventType = V1.EventType.Telemetry,
        TenantId = "acme",
        Telemetry = new V1.TelemetryPayload { MetricName = "latency", MetricValue = value, Unit = unit },
    };

    /// <summary>Offsets at which a top-level field starts or the record ends, found with Google.Protobuf.</summary>
    private static HashSet<int> TopLevelFieldBoundaries(byte[] record)
    {
        var boundaries = new HashSet<int> { 0 };
        var input = new CodedInputStream(record);
        while (input.ReadTag() != 0)
        {
            input.SkipLastField();
            boundaries.Add((int)input.Position);
        }

        // (Position is read inside the loop: once ReadTag has hit the end of a byte[] input it reports 0.)
        Assert.Equal(record.Length, boundaries.Max());
        return boundaries;
    }
}
