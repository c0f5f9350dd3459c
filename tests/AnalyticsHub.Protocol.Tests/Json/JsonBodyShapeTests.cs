using System.Text;
using AnalyticsHub.Protocol.Json;
using Google.Protobuf;
using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonBodyShapeTests
{
    private const string Event = """{"event_id":"0f8fad5b-d9cb-469f-a165-708677280001","event_type":"telemetry","telemetry":{"metric_name":"latency","metric_value":12.5}}""";

    [Fact]
    public void Transcode_ArrayOfEvents_WritesOneEventEach()
    {
        var batch = Parse($"[{Event},{Event.Replace("0001", "0002")}]");

        Assert.Equal(2, batch.Events.Count);
        Assert.Equal("0f8fad5b-d9cb-469f-a165-708677280002", batch.Events[1].EventId);
        Assert.Equal("", batch.ProducerId);
        Assert.Equal(0UL, batch.Sequence);
    }

    [Fact]
    public void Transcode_Envelope_CarriesProducerAndSequence()
    {
        var json = $$"""{"producer_id":"observatory-7","sequence":12,"events":[{{Event}}]}""";
        var batch = Parse(json);

        Assert.Single(batch.Events);
        Assert.Equal("observatory-7", batch.ProducerId);
        Assert.Equal(12UL, batch.Sequence);
        var (result, _) = Run(Encoding.UTF8.GetBytes(json), Layout.Contiguous);
        Assert.Equal("observatory-7", result.ProducerId);
        Assert.Equal(12UL, result.Sequence);
        Assert.Equal(1, result.EventCount);
    }

    [Fact]
    public void Transcode_EnvelopeWithEventsFirstAndCamelCaseKeys_IsAnEnvelope()
    {
        var batch = Parse($$$"""{"events":[{{{Event}}}],"producerId":"p","sequence":"18446744073709551615","batch_note":{"ignored":[1]}}""");

        Assert.Equal("p", batch.ProducerId);
        Assert.Equal(ulong.MaxValue, batch.Sequence);
    }

    [Fact]
    public void Transcode_SingleEventObject_IsABatchOfOne()
    {
        var e = ParseEvent(Event);

        Assert.Equal("latency", e.Telemetry.MetricName);
        Assert.Equal(12.5, e.Telemetry.MetricValue);
    }

    [Fact]
    public void Transcode_SingleEventWithUnknownKeysFirst_IsStillAnEvent()
    {
        var e = ParseEvent("""{"x_trace":{"deep":[1,2]},"event_id":"e"}""");
        Assert.Equal("e", e.EventId);
    }

    [Fact]
    public void Transcode_EmptyEventObject_IsOneEmptyEventForValidationToReject()
    {
        var batch = Parse("{}");
        Assert.Equal(new V1.AnalyticsEvent(), Assert.Single(batch.Events));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    [InlineData("""{"events":[]}""")]
    [InlineData("""{"producer_id":"p"}""")]
    [InlineData("""{"events":null}""")]
    public void Transcode_NoEvents_IsABodyError(string json)
    {
        var error = SingleError(json, "events", "at least one event is required");
        Assert.Equal(-1, error.EventIndex);
    }

    [Fact]
    public void Transcode_OutputMatchesGoogleProtobufByteForByte_WhenKeysComeInFieldOrder()
    {
        var expected = new V1.EventBatch
        {
            ProducerId = "p-1",
            Sequence = 300,
            Events =
            {
                new V1.AnalyticsEvent
                {
                    EventId = "0f8fad5b-d9cb-469f-a165-708677280001",
                    TimeUnixNano = 1_795_000_000_123_456_789,
                    SourceModule = V1.SourceModule.LlmCostops,
                    EventType = V1.EventType.Cost,
                    SchemaVersion = "1.2.0",
                    Severity = V1.Severity.Warning,
                    Environment = "production",
                    Tags = { ["region"] = "eu" },
                    TenantId = "acme",
                    Cost = new V1.CostPayload { CostType = "tokens", Amount = 0.25, Currency = "USD", Attribution = { ["team"] = "search" }, InputTokens = 1000, OutputTokens = 300, ModelId = "gpt-4o" },
                },
            },
        };
        var json = """
            {"events":[{"event_id":"0f8fad5b-d9cb-469f-a165-708677280001","time_unix_nano":1795000000123456789,
              "source_module":"llm-costops","event_type":"cost","schema_version":"1.2.0","severity":"warning",
              "environment":"production","tags":{"region":"eu"},"tenant_id":"acme",
              "cost":{"cost_type":"tokens","amount":0.25,"currency":"USD","attribution":{"team":"search"},
                      "input_tokens":1000,"output_tokens":300,"model_id":"gpt-4o"}}],
             "producer_id":"p-1","sequence":300}
            """;

        Assert.Equal(expected.ToByteArray(), Bytes(json));
    }

    [Fact]
    public void Transcode_DefaultValues_AreOmittedAsProto3Does()
    {
        var json = """{"event_id":"","source_module":0,"severity":"SEVERITY_UNSPECIFIED","time_unix_nano":0,"telemetry":{"metric_name":"","metric_value":0,"unit":null}}""";
        var bytes = Bytes(json);

        // events[0] { telemetry (20) {} }: 0x0A len 0xA2 0x01 0x00
        Assert.Equal(new byte[] { 0x0A, 0x03, 0xA2, 0x01, 0x00 }, bytes);
    }

    [Fact]
    public void Transcode_UnknownEventKeys_AreIgnored()
    {
        var e = ParseEvent("""{"event_id":"a","future_field":{"x":[1,{"y":null}]},"another":true,"n":1e999}""");
        Assert.Equal("a", e.EventId);
    }

    [Fact]
    public void Transcode_NullFields_AreNotSet()
    {
        var e = ParseEvent("""{"event_id":null,"timestamp":null,"source_module":null,"tags":null,"payload":null,"event_type":null}""");
        Assert.Equal(new V1.AnalyticsEvent(), e);
    }

    [Fact]
    public void Transcode_Output_IsAppendedAfterWhatTheWriterHeld()
    {
        var (result, bytes) = Run(Encoding.UTF8.GetBytes(Event), Layout.OneByteSegments);
        Assert.True(result.Success);
        Assert.Equal(result.BytesWritten, bytes.Length);
    }

    [Fact]
    public void Transcode_Options_AreValidated()
    {
        using var output = new Internal.PooledBufferWriter();
        var json = new System.Buffers.ReadOnlySequence<byte>("[]"u8.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonEventBatchTranscoder.Transcode(json, output, new JsonTranscodeOptions { MaxDepth = 0 }));
        Assert.Throws<ArgumentNullException>(() => JsonEventBatchTranscoder.Transcode(json, null!, JsonTranscodeOptions.Default));
    }

    [Fact]
    public void Transcode_LeadingByteOrderMark_IsIgnored()
    {
        var e = Assert.Single(V1.EventBatch.Parser.ParseFrom(Bytes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Event)])).Events);
        Assert.Equal("latency", e.Telemetry.MetricName);
    }

    [Fact]
    public void Transcode_SuccessPath_AllocatesTheSameForTenOrAThousandEvents()
    {
        var ten = Body(10);
        var thousand = Body(1000);
        using var output = new Internal.PooledBufferWriter(1 << 20);
        long Measure(System.Buffers.ReadOnlySequence<byte> json)
        {
            output.Clear();
            Assert.True(JsonEventBatchTranscoder.Transcode(json, output, JsonTranscodeOptions.Default).Success);
            output.Clear();
            var before = GC.GetAllocatedBytesForCurrentThread();
            JsonEventBatchTranscoder.Transcode(json, output, JsonTranscodeOptions.Default);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var small = Measure(ten);
        var large = Measure(thousand);

        // The context, its lists and the result: a fixed few hundred bytes, nothing per event or field.
        Assert.True(large - small < 256, $"10 events: {small} B, 1000 events: {large} B");
        Assert.True(small < 2048, $"10 events: {small} B");
    }

    private static System.Buffers.ReadOnlySequence<byte> Body(int events) => new(Encoding.UTF8.GetBytes(
        "{\"producer_id\":\"p\",\"events\":[" + string.Join(",", Enumerable.Repeat("""
            {"event_id":"0f8fad5b-d9cb-469f-a165-708677280001","timestamp":"2026-11-24T10:00:00.123+01:00","source_module":"llm-registry",
             "severity":"high","tags":{"region":"eu","n":3,"k\u00e9":"v\"q"},"payload":{"model_version":"2","owner":"ml","x":1.5},"event_type":"metadata"}
            """, events)) + "]}"));
}
