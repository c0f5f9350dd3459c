using System.Net;
using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Server.Tests.Rest;

namespace AnalyticsHub.Server.Tests.Tracing;

/// <summary>
/// The hub as a process exporting spans over OTLP/HTTP to a collector of the test's own: one span per ingest batch
/// (gRPC unary and stream, REST), per store write and per query, with their attributes, under the caller's traceparent.
/// </summary>
public sealed class TracingTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    private static string[] TracingArgs(OtlpTraceReceiver receiver, params string[] more) =>
    [
        $"--Hub:Tracing:OtlpEndpoint={receiver.Endpoint}", "--Hub:Tracing:Protocol=http/protobuf", "--Hub:Tracing:ExportIntervalMs=100",
        "--Hub:Tracing:ServiceName=hub-under-test", "--Hub:Storage:BatchIntervalMs=100", .. more,
    ];

    [Fact]
    public async Task IngestDrainAndQuery_ExportOneSpanEach_WithAttributes_UnderTheCallersTraceparent()
    {
        await using var receiver = new OtlpTraceReceiver();
        await using var hub = HubProcess.Start(TracingArgs(receiver));
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var channel = TestBatches.Channel(hub);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };

        // gRPC unary, under a caller's trace: 3 events, one of them invalid (schema version not semver).
        var grpcParent = TraceParent.NewSampled();
        var unary = TestBatches.Batch("tracing-producer", 1, 3);
        unary.Events[2].SchemaVersion = "not-a-version";
        var headers = new Metadata { { "traceparent", grpcParent.Header } };
        var unaryAck = await channel.UnaryAsync(TestBatches.IngestBatch, unary, new CallOptions { Headers = headers, Timeout = TimeSpan.FromSeconds(30) });
        Assert.Equal((2u, 1u), (unaryAck.Accepted, unaryAck.Rejected));

        // gRPC stream without a trace context: two batches, two spans (each a new trace).
        using (var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new CallOptions { Timeout = TimeSpan.FromSeconds(30) }))
        {
            await call.RequestStream.WriteAsync(TestBatches.Batch("tracing-stream", 1, 4));
            await call.RequestStream.WriteAsync(TestBatches.Batch("tracing-stream", 2, 5));
            await call.RequestStream.CompleteAsync();
            var acks = new List<BatchAck>();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                acks.Add(call.ResponseStream.Current);
            }
            Assert.Equal([4u, 5u], acks.Select(a => a.Accepted));
        }

        // REST under a caller's trace; and a REST batch refused as invalid.
        var restParent = TraceParent.NewSampled();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = JsonEvents.Content(JsonEvents.Array(2)) })
        {
            request.Headers.Add("traceparent", restParent.Header);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        using (var refused = await http.PostAsync("/api/v1/events", JsonEvents.Content("""[{"event_id":"x","tags":{"a":{"b":1}}}]""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        // A query under a caller's trace.
        var queryParent = TraceParent.NewSampled();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/query")
        {
            Content = JsonEvents.Content("""{"metric":"latency_ms","time_range":"last 1h","aggregation":{"functions":["count"]}}"""),
        })
        {
            request.Headers.Add("traceparent", queryParent.Header);
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        // Accepted events: 2 (unary) + 9 (stream) + 2 (REST); the drainer's spans add up to all of them once stored.
        const long Accepted = 13;
        await Poll.UntilAsync(
            () => receiver.Spans.Where(s => s.Name == "hub.store.write").Sum(s => (long)s["hub.store.rows"]!) >= Accepted
                && receiver.Spans.Any(s => s.Name == "hub.query"),
            ExportTimeout, () => receiver.Describe() + "\n" + hub.Output);

        var spans = receiver.Spans;
        Assert.Empty(receiver.Problems);
        Assert.All(spans, s => Assert.Equal(("hub-under-test", "AnalyticsHub"), (s.ServiceName, s.ScopeName)));

        // One span per batch, never per event: 1 unary + 2 stream messages + 2 REST requests.
        var batches = spans.Where(s => s.Name == "hub.ingest.batch").ToList();
        Assert.True(batches.Count == 5, receiver.Describe());

        var grpc = Assert.Single(batches, s => (string?)s["hub.ingest.transport"] == "grpc");
        Assert.Equal((grpcParent.TraceId, grpcParent.SpanId), (grpc.TraceId, grpc.ParentSpanId));
        Assert.Equal((3L, 2L, 1L, 0L), (grpc["hub.ingest.events"], grpc["hub.ingest.accepted"], grpc["hub.ingest.rejected"], grpc["hub.ingest.duplicates"]));
        Assert.NotEqual(ExportedSpan.Error, grpc.StatusCode);

        var stream = batches.Where(s => (string?)s["hub.ingest.transport"] == "grpc_stream").OrderBy(s => (long)s["hub.ingest.events"]!).ToList();
        Assert.Equal([4L, 5L], stream.Select(s => (long)s["hub.ingest.accepted"]!));
        Assert.All(stream, s => Assert.Equal("", s.ParentSpanId));
        Assert.NotEqual(stream[0].TraceId, stream[1].TraceId);

        var rest = batches.Where(s => (string?)s["hub.ingest.transport"] == "rest").ToList();
        var accepted = Assert.Single(rest, s => s.TraceId == restParent.TraceId);
        Assert.Equal(restParent.SpanId, accepted.ParentSpanId);
        Assert.Equal((2L, 2L, 0L), (accepted["hub.ingest.events"], accepted["hub.ingest.accepted"], accepted["hub.ingest.rejected"]));
        var invalid = Assert.Single(rest, s => s.TraceId != restParent.TraceId);
        Assert.Equal((ExportedSpan.Error, "invalid_events"), (invalid.StatusCode, invalid["error.type"]));

        var query = Assert.Single(spans, s => s.Name == "hub.query");
        Assert.Equal((queryParent.TraceId, queryParent.SpanId), (query.TraceId, query.ParentSpanId));
        Assert.Equal(("latency_ms", "rollup", false, "full"), (query["hub.query.metric"], query["hub.query.source"], query["hub.query.cached"], query["hub.query.computation"]));
        Assert.IsType<long>(query["hub.query.rows"]);

        var writes = spans.Where(s => s.Name == "hub.store.write").ToList();
        Assert.All(writes, s => Assert.Equal(("embedded", 0L, ""), (s["hub.store.kind"], s["hub.store.retries"], s.ParentSpanId)));
        Assert.Equal(Accepted, writes.Sum(s => (long)s["hub.store.rows"]!));
    }

    [Fact]
    public async Task SampleRatioZero_RecordsOnlyTracesTheCallerSampled()
    {
        await using var receiver = new OtlpTraceReceiver();
        await using var hub = HubProcess.Start(TracingArgs(receiver, "--Hub:Tracing:SampleRatio=0"));
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };

        // No context, then a caller's unsampled one, then a sampled one: only the last is recorded (parent-based).
        var unsampled = TraceParent.NewSampled() with { Flags = "00" };
        var sampled = TraceParent.NewSampled();
        foreach (var parent in new TraceParent?[] { null, unsampled, sampled })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = JsonEvents.Content(JsonEvents.Array(1)) };
            if (parent is not null)
            {
                request.Headers.Add("traceparent", parent.Header);
            }
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Spans are exported in the order they end: once the sampled one is in, the earlier ones would be too.
        await Poll.UntilAsync(() => receiver.Spans.Any(s => s.TraceId == sampled.TraceId), ExportTimeout, () => receiver.Describe() + "\n" + hub.Output);
        var span = Assert.Single(receiver.Spans);
        Assert.Equal(("hub.ingest.batch", sampled.SpanId), (span.Name, span.ParentSpanId));
    }

    [Theory]
    [InlineData("--Hub:Tracing:SampleRatio=2", "Hub:Tracing:SampleRatio 2 is not between 0 and 1")]
    [InlineData("--Hub:Tracing:SampleRatio=half", "Hub:Tracing:SampleRatio")]
    [InlineData("--Hub:Tracing:OtlpEndpoint=collector:4317", "Hub:Tracing:OtlpEndpoint 'collector:4317' is not an http(s) URL")]
    [InlineData("--Hub:Tracing:Protocol=udp", "Hub:Tracing:Protocol 'udp' is not one of: grpc, http/protobuf")]
    public async Task InvalidTracingConfiguration_ExitsWithCode2AndNamesTheProblem(string argument, string expected)
    {
        await using var hub = HubProcess.Start(argument);
        Assert.True(await hub.WaitForExitAsync(StartTimeout), hub.Output);
        Assert.Equal(2, hub.ExitCode);
        Assert.Contains(expected, hub.Output, StringComparison.Ordinal);
    }

    /// <summary>A W3C trace context a caller sends: <c>00-{trace id}-{parent span id}-{flags}</c>.</summary>
    private sealed record TraceParent(string TraceId, string SpanId, string Flags)
    {
        public string Header => $"00-{TraceId}-{SpanId}-{Flags}";

        public static TraceParent NewSampled() =>
            new(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16], "01");
    }
}
