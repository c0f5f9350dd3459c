using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Protocol.Events;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Events;

public sealed class EventBatchDecoderTests
{
    [Theory]
    [MemberData(nameof(Segments.AllLayouts), MemberType = typeof(Segments))]
    public void Decode_EveryPayloadKind_MatchesGoogleProtobufFieldByField(Layout layout)
    {
        var expected = SampleEvents.Batch(SampleEvents.OneOfEachPayload());
        using var batch = Decode(Segments.Build(expected.ToByteArray(), layout), out var ok, out var error);

        Assert.True(ok, error.ToString());
        Assert.Equal("producer-1", Text(batch, batch.ProducerId));
        Assert.Equal(42UL, batch.Sequence);
        Assert.Equal(expected.Events.Count, batch.Count);
        for (var i = 0; i < expected.Events.Count; i++)
        {
            AssertRow(expected.Events[i], batch, i);
        }
    }

    [Fact]
    public void Decode_UnknownFieldsInBatchEventAndPayload_AreSkipped()
    {
        var known = SampleEvents.Telemetry();
        var unknown = new List<byte>();
        AppendUnknownFields(unknown); // before the known fields ...
        unknown.AddRange(WithTrailingUnknownPayloadField(known));
        AppendUnknownFields(unknown); // ... and after them

        var envelope = new List<byte>();
        AppendUnknownFields(envelope);
        AppendLengthDelimited(envelope, 1, [.. unknown]);
        AppendUnknownFields(envelope);

        using var batch = Decode([.. envelope], out var ok, out var error);
        Assert.True(ok, error.ToString());
        var row = Assert.Single(batch.Rows.ToArray());
        Assert.Equal(EventDecodeError.None, row.DecodeError);
        AssertRow(known, batch, 0, compareRaw: false);
    }

    [Fact]
    public void Decode_LastPayloadWins_AsProto3OneofRequires()
    {
        var first = new V1.AnalyticsEvent { Cost = new V1.CostPayload { CostType = "first", Attribution = { ["a"] = "1" } } };
        var second = new V1.AnalyticsEvent { Telemetry = new V1.TelemetryPayload { MetricName = "second", MetricValue = 2 } };
        var bytes = first.ToByteArray().Concat(second.ToByteArray()).ToArray();
        using var batch = Decode(Envelope(bytes), out var ok, out _);

        Assert.True(ok);
        Assert.Equal(PayloadKind.Telemetry, batch[0].PayloadKind);
        Assert.Equal("second", Text(batch, batch[0].PayloadName));
        Assert.Equal(2.0, batch[0].PayloadValue);
        Assert.Equal(0, batch[0].PayloadPairCount);
    }

    [Fact]
    public void Decode_UnknownEnumValues_AreKeptForValidationToReject()
    {
        var e = new V1.AnalyticsEvent { SourceModule = (V1.SourceModule)7, EventType = (V1.EventType)300, Severity = (V1.Severity)(-1) };
        using var batch = Decode(Envelope(e.ToByteArray()), out var ok, out _);

        Assert.True(ok);
        Assert.Equal((SourceModule)7, batch[0].SourceModule);
        Assert.Equal((EventType)255, batch[0].EventType);
        Assert.Equal((Severity)255, batch[0].Severity);
    }

    public static TheoryData<string, byte[], EventDecodeError> MalformedEvents => new()
    {
        { "truncated varint", [0x18, 0x80], EventDecodeError.Truncated },
        { "11-byte varint", [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], EventDecodeError.MalformedVarint },
        { "10th varint byte too large", [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], EventDecodeError.MalformedVarint },
        { "truncated fixed64", [0x11, 1, 2, 3], EventDecodeError.Truncated },
        { "string longer than the event", [0x0A, 0x05, (byte)'a'], EventDecodeError.Truncated },
        { "2 GiB string length", [0x0A, 0x80, 0x80, 0x80, 0x80, 0x08], EventDecodeError.MalformedVarint },
        { "field number 0", [0x00, 0x01], EventDecodeError.InvalidTag },
        { "group wire type", [0x0B], EventDecodeError.InvalidTag },
        { "wire type 7", [0x0F], EventDecodeError.InvalidTag },
        { "event_id as varint", [0x08, 0x01], EventDecodeError.WrongWireType },
        { "time as varint", [0x10, 0x01], EventDecodeError.WrongWireType },
        { "source_module as string", [0x1A, 0x00], EventDecodeError.WrongWireType },
        { "tags as varint", [0x50, 0x01], EventDecodeError.WrongWireType },
        { "telemetry payload as varint", [0xA0, 0x01, 0x01], EventDecodeError.WrongWireType },
        { "metric_value as varint inside payload", [0xA2, 0x01, 0x02, 0x10, 0x01], EventDecodeError.WrongWireType },
        { "truncated map entry inside payload", [0xA2, 0x01, 0x03, 0x22, 0x05, 0x0A], EventDecodeError.Truncated },
    };

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public void Decode_MalformedEvent_IsMarkedOnItsRow_AndNeighboursStillDecode(string description, byte[] eventBytes, EventDecodeError expected)
    {
        var good = SampleEvents.Telemetry();
        var envelope = new List<byte>();
        AppendLengthDelimited(envelope, 1, good.ToByteArray());
        AppendLengthDelimited(envelope, 1, eventBytes);
        AppendLengthDelimited(envelope, 1, good.ToByteArray());

        using var batch = Decode([.. envelope], out var ok, out var error);

        Assert.True(ok, $"{description}: {error}");
        Assert.Equal(3, batch.Count);
        Assert.Equal(expected, batch[1].DecodeError);
        Assert.Equal(eventBytes, batch.Bytes(batch[1].Raw).ToArray());
        Assert.Equal(0, batch[1].TagCount);
        AssertRow(good, batch, 0);
        AssertRow(good, batch, 2);
        Assert.Equal(6, batch.PairCount); // only the good events' tags (2 each) and dimensions (1 each)
    }

    public static TheoryData<string, byte[], EventDecodeError> MalformedEnvelopes => new()
    {
        { "truncated event length", [0x0A], EventDecodeError.Truncated },
        { "event longer than the batch", [0x0A, 0x10, 0x01], EventDecodeError.Truncated },
        { "huge event length", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], EventDecodeError.MalformedVarint },
        { "events as varint", [0x08, 0x01], EventDecodeError.WrongWireType },
        { "sequence as string", [0x1A, 0x00], EventDecodeError.WrongWireType },
        { "invalid tag", [0x00], EventDecodeError.InvalidTag },
        { "unknown field truncated", [0xF2, 0x07, 0x09, 0x00], EventDecodeError.Truncated },
    };

    [Theory]
    [MemberData(nameof(MalformedEnvelopes))]
    public void Decode_MalformedEnvelope_FailsTheBatchWithAReason(string description, byte[] bytes, EventDecodeError expected)
    {
        using var batch = Decode(bytes, out var ok, out var error);
        Assert.False(ok, description);
        Assert.Equal(expected, error.Kind);
        Assert.StartsWith("Malformed EventBatch:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TooManyMapEntries_RejectsTheEvent()
    {
        var e = new V1.AnalyticsEvent { EventId = "many-tags" };
        for (var i = 0; i <= EventBatchDecoder.MaxPairsPerEvent; i++)
        {
            e.Tags[$"k{i}"] = "v";
        }

        using var batch = Decode(Envelope(e.ToByteArray()), out var ok, out _);
        Assert.True(ok);
        Assert.Equal(EventDecodeError.TooManyPairs, batch[0].DecodeError);
        Assert.Equal("many-tags", Text(batch, batch[0].EventId));
        Assert.Equal(0, batch.PairCount);
    }

    [Fact]
    public void Decode_RandomMutationsOfAValidBatch_NeverThrow()
    {
        var valid = SampleEvents.Batch(SampleEvents.OneOfEachPayload()).ToByteArray();
        var random = new Random(1234);
        using var batch = new Core.Events.EventBatch();
        for (var round = 0; round < 20_000; round++)
        {
            var mutated = (byte[])valid.Clone();
            var flips = random.Next(1, 8);
            for (var f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var cut = random.Next(4) == 0 ? random.Next(mutated.Length) : mutated.Length;
            batch.Load(mutated.AsSpan(0, cut));
            if (EventBatchDecoder.TryDecode(batch, out _))
            {
                foreach (var row in batch.Rows)
                {
                    // Every slice stays inside the arena, whatever the input.
                    Assert.InRange(row.Raw.Offset + row.Raw.Length, 0, batch.ArenaLength);
                    Assert.InRange(row.EventId.Offset + row.EventId.Length, 0, batch.ArenaLength);
                    Assert.InRange(row.TagStart + row.TagCount, 0, batch.PairCount);
                    Assert.InRange(row.PayloadPairStart + row.PayloadPairCount, 0, batch.PairCount);
                }
            }
        }
    }

    [Fact]
    public void Decode_SteadyState_AllocatesNothing()
    {
        var bytes = SampleEvents.Batch(Enumerable.Range(0, 1000).Select(SampleEvents.Telemetry)).ToByteArray();
        using var batch = new Core.Events.EventBatch();
        for (var i = 0; i < 3; i++)
        {
            batch.Load(bytes);
            Assert.True(EventBatchDecoder.TryDecode(batch, out _));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            batch.Load(bytes);
            EventBatchDecoder.TryDecode(batch, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, batch.Count);
    }

    private static Core.Events.EventBatch Decode(System.Buffers.ReadOnlySequence<byte> bytes, out bool ok, out BatchDecodeError error)
    {
        var batch = new Core.Events.EventBatch(arenaCapacity: 16, rowCapacity: 1, pairCapacity: 1); // forces every array to grow
        batch.Load(bytes);
        ok = EventBatchDecoder.TryDecode(batch, out error);
        return batch;
    }

    private static Core.Events.EventBatch Decode(byte[] bytes, out bool ok, out BatchDecodeError error) =>
        Decode(new System.Buffers.ReadOnlySequence<byte>(bytes), out ok, out error);

    private static byte[] Envelope(byte[] eventBytes)
    {
        var envelope = new List<byte>();
        AppendLengthDelimited(envelope, 1, eventBytes);
        return [.. envelope];
    }

    private static void AssertRow(V1.AnalyticsEvent e, Core.Events.EventBatch batch, int index, bool compareRaw = true)
    {
        ref var row = ref batch[index];
        Assert.Equal(EventDecodeError.None, row.DecodeError);
        if (compareRaw)
        {
            Assert.Equal(e.ToByteArray(), batch.Bytes(row.Raw).ToArray());
        }

        Assert.Equal(e.EventId, Text(batch, row.EventId));
        Assert.Equal((long)e.TimeUnixNano, row.TimeUnixNano);
        Assert.Equal((int)e.SourceModule, (int)row.SourceModule);
        Assert.Equal((int)e.EventType, (int)row.EventType);
        Assert.Equal((int)e.Severity, (int)row.Severity);
        Assert.Equal(e.SchemaVersion, Text(batch, row.SchemaVersion));
        Assert.Equal(e.CorrelationId, Text(batch, row.CorrelationId));
        Assert.Equal(e.ParentEventId, Text(batch, row.ParentEventId));
        Assert.Equal(e.Environment, Text(batch, row.Environment));
        Assert.Equal(e.TenantId, Text(batch, row.TenantId));
        Assert.Equal(e.AssetId, Text(batch, row.AssetId));
        Assert.Equal(e.Tags.ToDictionary(), Map(batch, row.TagStart, row.TagCount));
        Assert.Equal((int)e.PayloadCase, (int)row.PayloadKind);

        var (name, value, unit, map, input, output) = e.PayloadCase switch
        {
            V1.AnalyticsEvent.PayloadOneofCase.Telemetry => (e.Telemetry.MetricName, e.Telemetry.MetricValue, e.Telemetry.Unit, e.Telemetry.Dimensions, 0UL, 0UL),
            V1.AnalyticsEvent.PayloadOneofCase.Security => (e.Security.ThreatType, 0, e.Security.ThreatLevel, e.Security.Details, 0UL, 0UL),
            V1.AnalyticsEvent.PayloadOneofCase.Cost => (e.Cost.CostType, e.Cost.Amount, e.Cost.Currency, e.Cost.Attribution, e.Cost.InputTokens, e.Cost.OutputTokens),
            V1.AnalyticsEvent.PayloadOneofCase.Governance => (e.Governance.GovernanceType, 0, e.Governance.Outcome, e.Governance.Details, 0UL, 0UL),
            V1.AnalyticsEvent.PayloadOneofCase.Metadata => (e.Metadata.ChangeType, 0, e.Metadata.Version, e.Metadata.Attributes, 0UL, 0UL),
            V1.AnalyticsEvent.PayloadOneofCase.Policy => (e.Policy.PolicyId, e.Policy.Score, e.Policy.Decision, e.Policy.Details, 0UL, 0UL),
            V1.AnalyticsEvent.PayloadOneofCase.Custom => (e.Custom.TypeName, 0, "", e.Custom.Fields, 0UL, 0UL),
            _ => ("", 0d, "", new Google.Protobuf.Collections.MapField<string, string>(), 0UL, 0UL),
        };
        Assert.Equal(name, Text(batch, row.PayloadName));
        Assert.Equal(value, row.PayloadValue);
        Assert.Equal(unit, Text(batch, row.PayloadUnit));
        Assert.Equal(map.ToDictionary(), Map(batch, row.PayloadPairStart, row.PayloadPairCount));
        Assert.Equal(input, row.InputTokens);
        Assert.Equal(output, row.OutputTokens);
    }

    private static string Text(Core.Events.EventBatch batch, ArenaSlice slice) => Encoding.UTF8.GetString(batch.Bytes(slice));

    private static Dictionary<string, string> Map(Core.Events.EventBatch batch, int start, int count)
    {
        var map = new Dictionary<string, string>();
        foreach (var pair in batch.PairsOf(start, count))
        {
            map[Text(batch, pair.Key)] = Text(batch, pair.Value);
        }

        return map;
    }

    private static IEnumerable<byte> WithTrailingUnknownPayloadField(V1.AnalyticsEvent e)
    {
        // Re-encode the telemetry payload with an unknown field 15 (fixed32) appended inside it.
        var withoutPayload = e.Clone();
        withoutPayload.ClearPayload();
        var payload = e.Telemetry.ToByteArray().Concat(new byte[] { 0x7D, 1, 2, 3, 4 }).ToArray();
        var bytes = new List<byte>(withoutPayload.ToByteArray());
        AppendLengthDelimited(bytes, 20, payload);
        return bytes;
    }

    private static void AppendUnknownFields(List<byte> bytes)
    {
        bytes.AddRange(new byte[] { 0xB8, 0x06, 0x96, 0x01 }); // field 103, varint 150
        bytes.AddRange(new byte[] { 0xC1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8 }); // field 104, fixed64
        bytes.AddRange(new byte[] { 0xCD, 0x06, 1, 2, 3, 4 }); // field 105, fixed32
        AppendLengthDelimited(bytes, 106, [9, 9, 9]);
    }

    private static void AppendLengthDelimited(List<byte> bytes, int field, byte[] value)
    {
        AppendVarint(bytes, ((ulong)field << 3) | 2);
        AppendVarint(bytes, (ulong)value.Length);
        bytes.AddRange(value);
    }

    private static void AppendVarint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
