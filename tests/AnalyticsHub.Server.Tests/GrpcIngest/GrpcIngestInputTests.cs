using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.Contracts.V1;
using Google.Protobuf;

namespace AnalyticsHub.Server.Tests.GrpcIngest;

/// <summary>
/// EventIngestion over raw HTTP/2 frames against the hub process: bad bytes in every form get
/// a clear status or a per-event rejection, and the hub keeps serving.
/// </summary>
public sealed class GrpcIngestInputTests(GrpcHubFixture fixture) : IClassFixture<GrpcHubFixture>
{
    private const string IngestBatch = "/analyticshub.v1.EventIngestion/IngestBatch";
    private const string StreamEvents = "/analyticshub.v1.EventIngestion/StreamEvents";

    [Fact]
    public async Task ValidBatch_AckedWithCounts()
    {
        var (acks, status, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(Batch(Event(), Event())));
        Assert.Equal("0", status);
        Assert.Equal(2u, Assert.Single(acks).Accepted);
    }

    public static TheoryData<string, byte[]> MalformedEnvelopes => new()
    {
        // field 1 (events) claims 100 bytes, 2 follow
        { "truncated event", [0x0A, 100, 1, 2] },
        // field 1 with a 10-byte varint length beyond 2^63
        { "huge length", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        // field 2 (producer_id) sent as a varint
        { "wrong wire type", [0x10, 0x01] },
        // field number 0
        { "invalid tag", [0x02, 0x00] },
        { "garbage", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x07, 0x33] },
    };

    [Theory]
    [MemberData(nameof(MalformedEnvelopes))]
    public async Task MalformedBatch_InvalidArgument_WithADescription(string name, byte[] payload)
    {
        var (acks, status, message) = await CallAsync(IngestBatch, GrpcFrames.Frame(payload));
        Assert.True(status == "3", $"{name}: status {status} ({message})");
        Assert.Empty(acks);
        Assert.Contains("Malformed EventBatch", message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MalformedEvents_AreRejectedOneByOne_AndTheRestAccepted()
    {
        var good = Event();
        var invalidUtf8 = Event();
        var truncated = new byte[] { 0x0A, 0x24 }; // event_id claims 36 bytes, none follow
        var wrongType = new byte[] { 0x18, 0x01, 0x22, 0x00 }; // event_type (4) as a length-delimited field
        var batch = new List<byte>();
        AddEvent(batch, good.ToByteArray());
        AddEvent(batch, WithInvalidUtf8Environment(invalidUtf8));
        AddEvent(batch, truncated);
        AddEvent(batch, wrongType);

        var (acks, status, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(batch.ToArray()));

        Assert.Equal("0", status);
        var ack = Assert.Single(acks);
        Assert.Equal(1u, ack.Accepted);
        Assert.Equal(3u, ack.Rejected);
        Assert.Equal(["invalid_utf8", "malformed_event", "malformed_event"], ack.Rejections.Select(r => r.Code));
        Assert.Equal([1u, 2u, 3u], ack.Rejections.Select(r => r.Index));
        Assert.All(ack.Rejections, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
    }

    [Fact]
    public async Task EveryValidationRule_HasItsCodeInTheAck()
    {
        var now = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        var events = new[]
        {
            Event(e => e.EventId = ""),
            Event(e => e.EventId = "not-a-uuid"),
            Event(e => e.TimeUnixNano = now - (8UL * 24 * 3600 * 1_000_000_000)),
            Event(e => e.TimeUnixNano = now + (2UL * 3600 * 1_000_000_000)),
            Event(e => e.Telemetry.MetricValue = -1),
            Cost(0),
            Security(Severity.Info),
            Event(e => e.SchemaVersion = "9.0.0"),
            Event(e => e.SchemaVersion = "one"),
            Event(e => e.EventType = EventType.Cost),
        };
        var (acks, status, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(Batch(events)));

        Assert.Equal("0", status);
        Assert.Equal(
            ["missing_field", "invalid_uuid", "timestamp_out_of_range", "timestamp_out_of_range", "negative_metric", "nonpositive_cost",
             "security_severity", "unknown_schema_version", "invalid_schema_version", "payload_mismatch"],
            Assert.Single(acks).Rejections.Select(r => r.Code));
    }

    [Fact]
    public async Task MessageAboveTheSizeLimit_ResourceExhausted()
    {
        var header = GrpcFrames.Header(64 * 1024 * 1024);
        var (_, status, message) = await CallAsync(IngestBatch, header);
        Assert.Equal("8", status);
        Assert.False(string.IsNullOrWhiteSpace(message));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task TruncatedFrame_IsAnError_NotAHang()
    {
        var frame = GrpcFrames.Frame(Batch(Event()));
        var (_, status, _) = await CallAsync(IngestBatch, frame[..^3]);
        Assert.NotEqual("0", status);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task TooManyEventsInOneBatch_InvalidArgument()
    {
        var events = Enumerable.Range(0, GrpcHubFixture.MaxEventsPerBatch + 1).Select(_ => Event()).ToArray();
        var (_, status, message) = await CallAsync(IngestBatch, GrpcFrames.Frame(Batch(events)));
        Assert.Equal("3", status);
        Assert.Contains("MaxEventsPerBatch", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_GoodBatchesAcked_ThenAMalformedOneEndsTheCall_WithTheEarlierAcksDelivered()
    {
        var frames = GrpcFrames.Frame(Batch(Event())).Concat(GrpcFrames.Frame(Batch(Event(), Event()))).Concat(GrpcFrames.Frame([0x0A, 50])).ToArray();
        var (acks, status, message) = await CallAsync(StreamEvents, frames);

        Assert.Equal([1u, 2u], acks.Select(a => a.Accepted));
        Assert.Equal("3", status);
        Assert.Contains("Malformed EventBatch", message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task IdempotentRetry_SameAckBytes_AndDuplicateEventIdCounted()
    {
        var producer = "p-" + Guid.NewGuid().ToString("N");
        var batch = Batch(Event(), Event(e => e.EventId = "bad"));
        batch.ProducerId = producer;
        batch.Sequence = 42;
        var (first, _, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(batch));
        var (retry, _, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(batch));
        Assert.Equal(Assert.Single(first), Assert.Single(retry));

        // The same events again under a new sequence: the accepted one is now a duplicate.
        batch.Sequence = 43;
        var (again, _, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(batch));
        var ack = Assert.Single(again);
        Assert.Equal(0u, ack.Accepted);
        Assert.Equal(1u, ack.Duplicates);
        Assert.Equal(1u, ack.Rejected);
    }

    private async Task AssertStillServingAsync()
    {
        var (acks, status, _) = await CallAsync(IngestBatch, GrpcFrames.Frame(Batch(Event())));
        Assert.Equal("0", status);
        Assert.Equal(1u, Assert.Single(acks).Accepted);
    }

    private async Task<(List<BatchAck> Acks, string? Status, string? Message)> CallAsync(string path, byte[] body)
    {
        using var grpc = RawGrpc.CreateClient();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{fixture.Hub.GrpcPort}{path}")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await grpc.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return await RawGrpc.ReadAllAsync(response, BatchAck.Parser);
    }

    private static EventBatch Batch(params AnalyticsEvent[] events)
    {
        var batch = new EventBatch();
        batch.Events.AddRange(events);
        return batch;
    }

    private static AnalyticsEvent Event(Action<AnalyticsEvent>? change = null)
    {
        var e = new AnalyticsEvent
        {
            EventId = Guid.NewGuid().ToString(),
            TimeUnixNano = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000),
            SourceModule = SourceModule.LlmObservatory,
            EventType = EventType.Telemetry,
            SchemaVersion = "1.0.0",
            Telemetry = new TelemetryPayload { MetricName = "latency_ms", MetricValue = 12, Unit = "ms" },
        };
        change?.Invoke(e);
        return e;
    }

    private static AnalyticsEvent Cost(double amount) => Event(e =>
    {
        e.SourceModule = SourceModule.LlmCostops;
        e.EventType = EventType.Cost;
        e.Cost = new CostPayload { CostType = "tokens", Amount = amount, Currency = "USD" };
    });

    private static AnalyticsEvent Security(Severity severity) => Event(e =>
    {
        e.SourceModule = SourceModule.LlmSentinel;
        e.EventType = EventType.Security;
        e.Severity = severity;
        e.Security = new SecurityPayload { ThreatType = "prompt_injection" };
    });

    private static byte[] WithInvalidUtf8Environment(AnalyticsEvent e)
    {
        var bytes = e.ToByteArray().ToList();
        bytes.AddRange([0x4A, 0x02, 0xC3, 0x28]); // environment (9) = 0xC3 0x28: invalid UTF-8
        return bytes.ToArray();
    }

    private static void AddEvent(List<byte> batch, byte[] eventBytes)
    {
        batch.Add(0x0A);
        var length = (uint)eventBytes.Length;
        while (length >= 0x80)
        {
            batch.Add((byte)(length | 0x80));
            length >>= 7;
        }
        batch.Add((byte)length);
        batch.AddRange(eventBytes);
    }
}

/// <summary>One hub for the gRPC ingest input tests (a small per-batch event limit).</summary>
public sealed class GrpcHubFixture : IAsyncLifetime
{
    public const int MaxEventsPerBatch = 100;

    internal HubProcess Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = HubProcess.Start($"--Hub:Ingest:MaxEventsPerBatch={MaxEventsPerBatch}", "--Hub:Grpc:MaxReceiveMessageSize=1048576");
        await Hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();
}
