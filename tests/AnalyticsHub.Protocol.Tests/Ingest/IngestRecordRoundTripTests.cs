using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Ingest;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Ingest;

/// <summary>
/// A batch with accepted, rejected and duplicate events, admitted and written as a WAL record by
/// <see cref="IngestRecordWriter"/>, read back with <see cref="IngestRecordReader"/> and
/// <see cref="EventBatchDecoder.TryDecodeRecord"/>, and parsed by Google.Protobuf as a plain
/// <c>EventBatch</c>.
/// </summary>
public sealed class IngestRecordRoundTripTests
{
    private const long Second = 1_000_000_000;
    private const long SentTime = AdmittedBatch.Now - (10 * Second);

    private const string TelemetryId = "0f8fad5b-d9cb-469f-a165-708677289501";
    private const string CostId = "0f8fad5b-d9cb-469f-a165-708677289503";
    private const string SecurityId = "0f8fad5b-d9cb-469f-a165-708677289504";
    private const string PolicyId = "0f8fad5b-d9cb-469f-a165-708677289507";

    /// <summary>The mixed batch: which index ends where.</summary>
    private static V1.AnalyticsEvent[] MixedEvents() =>
    [
        /* 0 accepted  */ Telemetry(TelemetryId, "s", 5),
        /* 1 rejected  */ Telemetry("not-a-uuid", "ms", 1, module: V1.SourceModule.LlmSentinel, tenant: "acme"),
        /* 2 duplicate */ Telemetry(TelemetryId, "ms", 7),
        /* 3 accepted  */ Cost(CostId, "EUR", 10),
        /* 4 accepted  */ Security(SecurityId, "critical"),
        /* 5 rejected  */ Cost("0f8fad5b-d9cb-469f-a165-708677289505", "XYZ", 3, tenant: "beta"),
        /* 6 rejected  */ null!, // malformed: see MixedBatch
        /* 7 accepted  */ Policy(PolicyId, "high"),
    ];

    private static readonly int[] AcceptedIndexes = [0, 3, 4, 7];

    /// <summary>Event 6: an event_id, then a source_module varint cut short.</summary>
    private static readonly byte[] MalformedEvent = [.. new V1.AnalyticsEvent { EventId = "0f8fad5b-d9cb-469f-a165-708677289506" }.ToByteArray(), 0x18, 0x80];

    [Fact]
    public void TryReadInfo_GivesProducerSequenceCountsAndReceivedTime()
    {
        using var admitted = MixedBatch();

        Assert.True(IngestRecordReader.TryReadInfo(admitted.Record, out var info));

        Assert.Equal("producer-1", Encoding.UTF8.GetString(admitted.Record.AsSpan(info.ProducerId.Offset, info.ProducerId.Length)));
        Assert.Equal(42UL, info.Sequence);
        Assert.Equal(AdmittedBatch.ReceivedUnixNano, info.ReceivedUnixNano);
        Assert.Equal((4u, 3u, 1u), (info.Accepted, info.Rejected, info.Duplicates));
        Assert.Equal(new AdmissionCounts(4, 3, 1), admitted.Counts);
    }

    [Theory]
    [MemberData(nameof(Segments.AllLayouts), MemberType = typeof(Segments))]
    public void TryDecodeRecord_YieldsExactlyTheAcceptedEvents_WithTheNormalizedValues(Layout layout)
    {
        using var admitted = MixedBatch();
        using var decoded = new EventBatch();
        decoded.Load(Segments.Build(admitted.Record, layout));

        Assert.True(EventBatchDecoder.TryDecodeRecord(decoded, out var error), error.ToString());

        Assert.Equal("producer-1", Text(decoded, decoded.ProducerId));
        Assert.Equal(42UL, decoded.Sequence);
        Assert.Equal(
            [TelemetryId, CostId, SecurityId, PolicyId],
            decoded.Rows.ToArray().Select(r => Text(decoded, r.EventId)));

        // The hub's values, not the sent ones: 5 s → 5000 ms, Observatory's +2 s, 10 EUR → USD,
        // severities taken from threat_level and the Policy Engine's "level" detail.
        var expected = new (long Time, double Value, UnitDimension Dimension, Severity Severity)[]
        {
            (SentTime + (2 * Second), 5_000, UnitDimension.Duration, Severity.Info),
            (SentTime, 10 * 1.08, UnitDimension.Usd, Severity.Info),
            (SentTime, 0, UnitDimension.None, Severity.Critical),
            (SentTime, 0.5, UnitDimension.None, Severity.Error),
        };
        for (var i = 0; i < expected.Length; i++)
        {
            ref readonly var row = ref decoded[i];
            ref readonly var admittedRow = ref admitted.Batch[AcceptedIndexes[i]];
            Assert.Equal(EventDecodeError.None, row.DecodeError);
            Assert.Equal(expected[i], (row.TimeUnixNano, row.PayloadValue, row.ValueDimension, row.Severity));
            Assert.Equal(
                (admittedRow.TimeUnixNano, admittedRow.PayloadValue, admittedRow.ValueDimension, admittedRow.Severity),
                (row.TimeUnixNano, row.PayloadValue, row.ValueDimension, row.Severity));
        }
    }

    [Fact]
    public void TryDecodeRecord_KeepsEveryOtherColumnAsSent()
    {
        var events = MixedEvents();
        using var admitted = MixedBatch();
        using var decoded = new EventBatch();
        decoded.Load(admitted.Record);
        Assert.True(EventBatchDecoder.TryDecodeRecord(decoded, out _));

        using var sent = new EventBatch();
        sent.Load(admitted.Wire);
        Assert.True(EventBatchDecoder.TryDecode(sent, out _));

        for (var i = 0; i < AcceptedIndexes.Length; i++)
        {
            ref readonly var row = ref decoded[i];
            ref readonly var original = ref sent[AcceptedIndexes[i]];
            Assert.Equal(original.SourceModule, row.SourceModule);
            Assert.Equal(original.EventType, row.EventType);
            Assert.Equal(original.PayloadKind, row.PayloadKind);
            Assert.Equal(Text(sent, original.SchemaVersion), Text(decoded, row.SchemaVersion));
            Assert.Equal(Text(sent, original.Environment), Text(decoded, row.Environment));
            Assert.Equal(Text(sent, original.TenantId), Text(decoded, row.TenantId));
            Assert.Equal(Text(sent, original.AssetId), Text(decoded, row.AssetId));
            Assert.Equal(Text(sent, original.PayloadName), Text(decoded, row.PayloadName));
            Assert.Equal(Text(sent, original.PayloadUnit), Text(decoded, row.PayloadUnit)); // the unit as sent; ValueDimension says what the value is in
            Assert.Equal(Pairs(sent, original.TagStart, original.TagCount), Pairs(decoded, row.TagStart, row.TagCount));
            Assert.Equal(Pairs(sent, original.PayloadPairStart, original.PayloadPairCount), Pairs(decoded, row.PayloadPairStart, row.PayloadPairCount));

            // Raw is the client's bytes, unchanged, followed by the hub's block.
            var raw = decoded.Bytes(row.Raw).ToArray();
            Assert.Equal(events[AcceptedIndexes[i]].ToByteArray(), raw[..admitted.Events[AcceptedIndexes[i]].Length]);
            Assert.Equal([0xA2, 0x06], raw[admitted.Events[AcceptedIndexes[i]].Length..][..2]);
        }
    }

    [Fact]
    public void TryReadDeadLetters_GivesRawBytesIndexCodeMessageIdModuleAndTenant()
    {
        using var admitted = MixedBatch();
        var deadLetters = new List<DeadLetterEntry>();

        Assert.True(IngestRecordReader.TryReadDeadLetters(admitted.Record, deadLetters));

        Assert.Equal(3, deadLetters.Count);
        Assert.Equal([1, 5, 6], deadLetters.Select(d => d.Index));
        Assert.Equal(
            new DeadLetterEntry(admitted.Events[1], 1, "invalid_uuid", "event_id 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits).",
                "not-a-uuid", SourceModule.LlmSentinel, "acme"),
            deadLetters[0] with { Event = admitted.Events[1] });
        Assert.Equal(
            new DeadLetterEntry(admitted.Events[5], 5, "unknown_currency", "currency 'XYZ' has no configured exchange rate (Hub:Ingest:ExchangeRates).",
                "0f8fad5b-d9cb-469f-a165-708677289505", SourceModule.LlmCostOps, "beta"),
            deadLetters[1] with { Event = admitted.Events[5] });
        // A malformed event keeps only what identifies it: its id (decoded before the fault) and its bytes.
        Assert.Equal(
            new DeadLetterEntry(admitted.Events[6], 6, "malformed_event", "The event is truncated (field 3 runs past its end).",
                "0f8fad5b-d9cb-469f-a165-708677289506", SourceModule.Unspecified, ""),
            deadLetters[2] with { Event = admitted.Events[6] });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(admitted.Events[deadLetters[i].Index], deadLetters[i].Event);
            Assert.Equal(admitted.Rejections[i].Message, deadLetters[i].Message);
        }
    }

    [Fact]
    public void Record_ParsesWithGoogleProtobufAsAnEventBatch_HoldingTheAcceptedEvents()
    {
        var events = MixedEvents();
        using var admitted = MixedBatch();

        var plain = V1.EventBatch.Parser.WithDiscardUnknownFields(true).ParseFrom(admitted.Record);
        var expected = new V1.EventBatch { ProducerId = "producer-1", Sequence = 42 };
        expected.Events.AddRange(AcceptedIndexes.Select(i => events[i]));
        Assert.Equal(expected, plain);

        // Without discarding, the hub's fields are unknown fields that survive a re-encode: the
        // record's info and dead letters at the top, each event's Normalized block inside it.
        var full = V1.EventBatch.Parser.ParseFrom(admitted.Record);
        Assert.NotEqual(expected, full);
        Assert.Equal(admitted.Record.Length, full.CalculateSize());
        Assert.Equal([100, 101, 101, 101], TopLevelHubFields(full.ToByteArray()));
        Assert.Equal(
            (AdmittedBatch.Now - (8 * Second), 5_000.0, (uint)UnitDimension.Duration, (uint)Severity.Info),
            LastNormalizedBlock(full.Events[0].ToByteArray()));
        Assert.Equal(
            (SentTime, 10 * 1.08, (uint)UnitDimension.Usd, (uint)Severity.Info),
            LastNormalizedBlock(full.Events[1].ToByteArray()));
    }

    [Fact]
    public void ClientSentField100_IsOverriddenByTheHubsBlock()
    {
        // A client that happens to send field 100 shaped like the hub's block, with other values.
        var clientBlock = NormalizedBlock(time: 1, value: 99, dimension: 3, severity: 5);
        var sent = Telemetry(TelemetryId, "s", 5).ToByteArray().Concat(clientBlock).ToArray();
        using var admitted = new AdmittedBatch([sent]);

        // Ingest ignores it (an unknown field from a client) ...
        Assert.Equal(Rejection.None, admitted.Batch[0].Rejection);
        Assert.Equal(SentTime + (2 * Second), admitted.Batch[0].TimeUnixNano);

        // ... and the record's reader takes the hub's block, which comes last.
        using var decoded = new EventBatch();
        decoded.Load(admitted.Record);
        Assert.True(EventBatchDecoder.TryDecodeRecord(decoded, out _));
        var row = Assert.Single(decoded.Rows.ToArray());
        Assert.Equal(EventDecodeError.None, row.DecodeError);
        Assert.Equal((SentTime + (2 * Second), 5_000.0, UnitDimension.Duration, Severity.Info), (row.TimeUnixNano, row.PayloadValue, row.ValueDimension, row.Severity));
        Assert.Equal(sent, decoded.Bytes(row.Raw)[..sent.Length].ToArray());
    }

    /// <summary>
    /// Field 100 from a client in another shape than the hub's block. Ingest skips it as an
    /// unknown field and accepts the event, so the record must read back too.
    /// </summary>
    public static TheoryData<string, byte[]> OtherShapesOfField100 => new()
    {
        { "varint", [0xA0, 0x06, 0x05] },
        { "fixed32", [0xA5, 0x06, 1, 2, 3, 4] },
        { "fixed64", [0xA1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8] },
        { "a string", [0xA2, 0x06, 0x05, .. "hello"u8] },
        { "a message with severity as fixed64", [0xA2, 0x06, 0x09, 0x21, 1, 2, 3, 4, 5, 6, 7, 8] },
        { "a message with a nested message at field 1", [0xA2, 0x06, 0x02, 0x0A, 0x00] },
    };

    [Theory]
    [MemberData(nameof(OtherShapesOfField100))]
    public void ClientSentField100_OfAnotherShape_StillReadsBackFromTheRecord(string shape, byte[] field100)
    {
        var sent = Telemetry(TelemetryId, "s", 5).ToByteArray().Concat(field100).ToArray();
        using var admitted = new AdmittedBatch([sent]);
        Assert.Equal(Rejection.None, admitted.Batch[0].Rejection);
        Assert.Equal(new AdmissionCounts(1, 0, 0), admitted.Counts);

        using var decoded = new EventBatch();
        decoded.Load(admitted.Record);
        Assert.True(EventBatchDecoder.TryDecodeRecord(decoded, out _), shape);
        var row = Assert.Single(decoded.Rows.ToArray());

        Assert.True(row.DecodeError == EventDecodeError.None, $"{shape}: the accepted event reads back as {row.DecodeError} (field {row.DecodeErrorField})");
        Assert.Equal((SentTime + (2 * Second), 5_000.0, UnitDimension.Duration, Severity.Info), (row.TimeUnixNano, row.PayloadValue, row.ValueDimension, row.Severity));
    }

    [Fact]
    public void Write_ABatchLargerThanTheInitialBuffer_GrowsAndRoundTrips()
    {
        // 2,000 events of ~180 bytes: about 360 KB, past the writer's first 64 KiB buffer.
        var events = Enumerable.Range(0, 2_000).Select(i => Telemetry($"0f8fad5b-d9cb-469f-a165-7086{i:D8}", "ms", i).ToByteArray()).ToArray();
        using var admitted = new AdmittedBatch(events);
        Assert.True(admitted.Record.Length > 256 * 1024);

        using var decoded = new EventBatch();
        decoded.Load(admitted.Record);
        Assert.True(EventBatchDecoder.TryDecodeRecord(decoded, out _));
        Assert.Equal(2_000, decoded.Count);
        Assert.Equal(1_999, decoded[1_999].PayloadValue);
        Assert.True(IngestRecordReader.TryReadInfo(admitted.Record, out var info));
        Assert.Equal(2_000u, info.Accepted);
    }

    [Fact]
    public void Write_ReusesItsBuffer_AndRecordIsTheLastOneWritten()
    {
        using var big = MixedBatch();
        using var small = AdmittedBatch.Of(Telemetry(TelemetryId, "ms", 1));
        using var writer = new IngestRecordWriter();

        var first = writer.Write(big.Batch, AdmittedBatch.ReceivedUnixNano, big.Counts, [.. big.Rejections]).ToArray();
        var second = writer.Write(small.Batch, AdmittedBatch.ReceivedUnixNano, small.Counts, []).ToArray();

        Assert.Equal(big.Record, first);
        Assert.Equal(small.Record, second);
        Assert.Equal(small.Record, writer.Record.ToArray());
    }

    /// <summary>The whole format on one tiny batch, byte by byte (see <see cref="IngestRecordFormat"/>).</summary>
    [Fact]
    public void Write_IsByteExact()
    {
        // Arena: producer "p", then three events: E0 = environment "x"; E1 = event_id "id", tenant "t"; E2 = environment "y".
        byte[] arena = [(byte)'p', 0x4A, 0x01, (byte)'x', 0x0A, 0x02, (byte)'i', (byte)'d', 0x5A, 0x01, (byte)'t', 0x4A, 0x01, (byte)'y'];
        using var batch = new EventBatch();
        batch.Load(arena);
        batch.ProducerId = new ArenaSlice(0, 1);
        batch.Sequence = 42;

        ref var accepted = ref batch.AddRow();
        accepted.Raw = new ArenaSlice(1, 3);
        accepted.TimeUnixNano = 0x0102030405060708;
        accepted.PayloadValue = 1.5;
        accepted.ValueDimension = UnitDimension.Duration;
        accepted.Severity = Severity.Error;

        ref var rejected = ref batch.AddRow();
        rejected.Raw = new ArenaSlice(4, 7);
        rejected.EventId = new ArenaSlice(6, 2);
        rejected.TenantId = new ArenaSlice(10, 1);
        rejected.SourceModule = SourceModule.LlmSentinel;
        rejected.Rejection = Rejection.InvalidUuid;

        ref var duplicate = ref batch.AddRow();
        duplicate.Raw = new ArenaSlice(11, 3);
        duplicate.IsDuplicate = true;

        using var writer = new IngestRecordWriter();
        var record = writer.Write(batch, 0x1122334455667788, new AdmissionCounts(1, 1, 1), [new RejectionInfo(1, "c", "m")]).ToArray();

        byte[] expected =
        [
            0x12, 0x01, (byte)'p',                                  // producer_id = 2
            0x18, 0x2A,                                             // sequence = 3: 42
            0xA2, 0x06, 0x0F,                                       // info = 100, 15 bytes
            0x09, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, //   received_unix_nano = 1 (fixed64)
            0x10, 0x01, 0x18, 0x01, 0x20, 0x01,                     //   accepted, rejected, duplicates = 1
            0x0A, 0x1C,                                             // events = 1, 28 bytes:
            0x4A, 0x01, (byte)'x',                                  //   the event as sent
            0xA2, 0x06, 0x16,                                       //   Normalized = 100, 22 bytes
            0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, //     time_unix_nano = 1 (fixed64)
            0x11, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,                     //     value = 2 (double 1.5)
            0x18, 0x01,                                             //     value_dimension = 3: Duration
            0x20, 0x04,                                             //     severity = 4: ERROR
            0xAA, 0x06, 0x1A,                                       // dead_letters = 101, 26 bytes:
            0x0A, 0x07, 0x0A, 0x02, (byte)'i', (byte)'d', 0x5A, 0x01, (byte)'t', // event = 1
            0x10, 0x01,                                             //   index = 2
            0x1A, 0x01, (byte)'c',                                  //   code = 3
            0x22, 0x01, (byte)'m',                                  //   message = 4
            0x2A, 0x02, (byte)'i', (byte)'d',                       //   event_id = 5
            0x30, 0x02,                                             //   source_module = 6: LLM_SENTINEL
            0x3A, 0x01, (byte)'t',                                  //   tenant_id = 7
        ];
        Assert.Equal(expected, record);
    }

    [Fact]
    public void Write_NoProducerNoSequenceNoEvents_IsTheInfoBlockAlone()
    {
        using var batch = new EventBatch();
        batch.Load(ReadOnlySpan<byte>.Empty);
        using var writer = new IngestRecordWriter();

        var record = writer.Write(batch, 0, default, []).ToArray();

        Assert.Equal([0xA2, 0x06, 0x0F, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0x18, 0x00, 0x20, 0x00], record);
        Assert.True(IngestRecordReader.TryReadInfo(record, out var info));
        Assert.Equal(default, info);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static AdmittedBatch MixedBatch()
    {
        var events = MixedEvents().Select(e => e?.ToByteArray()).ToArray();
        events[6] = MalformedEvent;
        return new AdmittedBatch(events!);
    }

    private static V1.AnalyticsEvent Telemetry(string id, string unit, double value, V1.SourceModule module = V1.SourceModule.LlmObservatory, string tenant = "") => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)SentTime,
        SourceModule = module,
        EventType = V1.EventType.Telemetry,
        SchemaVersion = "1.2.0",
        Severity = V1.Severity.Info,
        Environment = "production",
        TenantId = tenant,
        Tags = { ["region"] = "eu-west-1" },
        Telemetry = new V1.TelemetryPayload { MetricName = "latency", MetricValue = value, Unit = unit, Dimensions = { ["service"] = "chat" } },
    };

    private static V1.AnalyticsEvent Cost(string id, string currency, double amount, string tenant = "acme") => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)SentTime,
        SourceModule = V1.SourceModule.LlmCostops,
        EventType = V1.EventType.Cost,
        Severity = V1.Severity.Info,
        TenantId = tenant,
        Cost = new V1.CostPayload { CostType = "token_cost", Amount = amount, Currency = currency, Attribution = { ["team"] = "search" } },
    };

    private static V1.AnalyticsEvent Security(string id, string threatLevel) => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)SentTime,
        SourceModule = V1.SourceModule.LlmSentinel,
        EventType = V1.EventType.Security,
        AssetId = "model-7",
        Security = new V1.SecurityPayload { ThreatType = "prompt_injection", ThreatLevel = threatLevel },
    };

    private static V1.AnalyticsEvent Policy(string id, string level) => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)SentTime,
        SourceModule = V1.SourceModule.LlmPolicyEngine,
        EventType = V1.EventType.Policy,
        Policy = new V1.PolicyPayload { PolicyId = "pii-check", Decision = "deny", Score = 0.5, Details = { ["level"] = level } },
    };

    /// <summary>A field 100 shaped like the hub's Normalized block, spelled with Google.Protobuf.</summary>
    private static byte[] NormalizedBlock(long time, double value, uint dimension, uint severity)
    {
        using var inner = new MemoryStream();
        var block = new CodedOutputStream(inner);
        block.WriteTag(1, WireFormat.WireType.Fixed64);
        block.WriteFixed64((ulong)time);
        block.WriteTag(2, WireFormat.WireType.Fixed64);
        block.WriteDouble(value);
        block.WriteTag(3, WireFormat.WireType.Varint);
        block.WriteUInt32(dimension);
        block.WriteTag(4, WireFormat.WireType.Varint);
        block.WriteUInt32(severity);
        block.Flush();

        using var outer = new MemoryStream();
        var field = new CodedOutputStream(outer);
        field.WriteTag(100, WireFormat.WireType.LengthDelimited);
        field.WriteBytes(ByteString.CopyFrom(inner.ToArray()));
        field.Flush();
        return outer.ToArray();
    }

    /// <summary>The last field 100 of an event, read with Google.Protobuf's <see cref="CodedInputStream"/>.</summary>
    private static (long Time, double Value, uint Dimension, uint Severity) LastNormalizedBlock(byte[] eventBytes)
    {
        var input = new CodedInputStream(eventBytes);
        ByteString? last = null;
        while (input.ReadTag() is var tag and not 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 100)
            {
                last = input.ReadBytes();
            }
            else
            {
                input.SkipLastField();
            }
        }

        Assert.NotNull(last);
        var block = new CodedInputStream(last.ToByteArray());
        (long, double, uint, uint) values = default;
        while (block.ReadTag() is var tag and not 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: values.Item1 = (long)block.ReadFixed64(); break;
                case 2: values.Item2 = block.ReadDouble(); break;
                case 3: values.Item3 = block.ReadUInt32(); break;
                case 4: values.Item4 = block.ReadUInt32(); break;
                default: block.SkipLastField(); break;
            }
        }

        return values;
    }

    /// <summary>Numbers of the record's top-level fields ≥ 100, in order.</summary>
    private static List<int> TopLevelHubFields(byte[] record)
    {
        var fields = new List<int>();
        var input = new CodedInputStream(record);
        while (input.ReadTag() is var tag and not 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            if (field >= 100)
            {
                fields.Add(field);
            }

            input.SkipLastField();
        }

        return fields;
    }

    private static string Text(EventBatch batch, ArenaSlice slice) => Encoding.UTF8.GetString(batch.Bytes(slice));

    private static List<(string, string)> Pairs(EventBatch batch, int start, int count) =>
        batch.PairsOf(start, count).ToArray().Select(p => (Text(batch, p.Key), Text(batch, p.Value))).ToList();
}
