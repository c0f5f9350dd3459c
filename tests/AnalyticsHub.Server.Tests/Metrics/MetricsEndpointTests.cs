using System.Net;
using AnalyticsHub.Server.Tests.Ingestion;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Metrics;

/// <summary><c>GET /metrics</c> on the hub as a process: counters follow what was sent, the port serves metrics only, both formats.</summary>
public sealed class MetricsEndpointTests(MetricsHubFixture fixture) : IClassFixture<MetricsHubFixture>
{
    private const string Accepted = "hub_ingest_events_accepted_total";

    private HubProcess Hub => fixture.Hub;

    private static double Moved(string before, string after, string sample) => MetricsText.Value(after, sample) - MetricsText.Value(before, sample);

    [Fact]
    public async Task AcceptedEventsCounter_MovesByExactlyTheEventsSent_AndBatchAckAndWalMetricsMove()
    {
        var first = await MetricsText.ScrapeTextAsync(Hub.MetricsPort);
        double before = MetricsText.Value(first, Accepted);

        using var http = new HttpClient();
        for (int batch = 0; batch < 3; batch++)
        {
            using var response = await http.PostAsync($"http://127.0.0.1:{Hub.HttpPort}/api/v1/events", Content(Array(7)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        string text = "";
        await Poll.UntilAsync(
            async () => MetricsText.Value(text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort), Accepted) >= before + 21,
            TimeSpan.FromSeconds(30),
            () => $"{Accepted} did not reach {before + 21}:\n{text}");
        Assert.Equal(before + 21, MetricsText.Value(text, Accepted));
        Assert.True(MetricsText.Value(text, "hub_ingest_events_received_total") >= before + 21);

        // Three batches of 7: counted in the batch-size histogram (7 ≤ 16), acknowledged (REST too), made durable by WAL commits.
        Assert.Equal(3, Moved(first, text, "hub_ingest_batch_size_count"));
        Assert.Equal(21, Moved(first, text, "hub_ingest_batch_size_sum"));
        Assert.Equal(3, Moved(first, text, "hub_ingest_batch_size_bucket{le=\"16\"}"));
        Assert.Equal(3, Moved(first, text, "hub_ingest_ack_latency_seconds_count"));
        Assert.True(Moved(first, text, "hub_ingest_bytes_total") > 0);
        Assert.True(Moved(first, text, "hub_wal_appended_bytes_total") > 0);
        Assert.True(Moved(first, text, "hub_wal_commits_total") > 0);
        Assert.True(Moved(first, text, "hub_wal_commit_duration_seconds_count") > 0);
        Assert.True(MetricsText.Value(text, "hub_wal_retained_bytes") > 0);
    }

    [Fact]
    public async Task StoreUp_IsOne_OnceTheEmbeddedStoreIsReady()
    {
        string text = "";
        await Poll.UntilAsync(
            async () => MetricsText.Value(text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort), "hub_store_up") == 1,
            TimeSpan.FromSeconds(60), () => $"hub_store_up is not 1:\n{text}");
    }

    [Fact]
    public async Task ActiveStreams_CountAnOpenWebSocket_UntilItCloses()
    {
        const string Streams = "hub_ingest_streams_active{transport=\"websocket\"}";
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Hub.HttpPort}/ws/events"), CancellationToken.None);

        string text = "";
        await Poll.UntilAsync(
            async () => MetricsText.Value(text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort), Streams) == 1,
            TimeSpan.FromSeconds(30), () => $"{Streams} is not 1 with one socket open:\n{text}");

        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Poll.UntilAsync(
            async () => MetricsText.Value(text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort), Streams) == 0,
            TimeSpan.FromSeconds(30), () => $"{Streams} is not back to 0 after the socket closed:\n{text}");
    }

    [Fact]
    public async Task ActiveStreams_CountAnOpenGrpcStream_UntilItEnds()
    {
        const string Streams = "hub_ingest_streams_active{transport=\"grpc\"}";
        using var channel = TestBatches.Channel(Hub);
        using var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new AnalyticsHub.Client.CallOptions { Timeout = TimeSpan.FromSeconds(60) });
        await call.RequestStream.WriteAsync(TestBatches.Batch($"metrics-{Guid.NewGuid():N}", 1, 5));
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(5u, call.ResponseStream.Current.Accepted);

        string text = "";
        await Poll.UntilAsync(
            async () => MetricsText.Value(text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort), Streams) == 1,
            TimeSpan.FromSeconds(30), () => $"{Streams} is not 1 with one stream open:\n{text}");

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        await Poll.UntilAsync(
            async () => MetricsText.Value(text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort), Streams) == 0,
            TimeSpan.FromSeconds(30), () => $"{Streams} is not back to 0 after the stream ended:\n{text}");
    }

    [Fact]
    public async Task PrometheusText_IsTheDefault_WithItsContentType()
    {
        var (status, contentType, body) = await MetricsText.ScrapeAsync(Hub.MetricsPort);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenMetrics_WhenAskedFor_WithUnitsAndEof()
    {
        var (status, contentType, body) = await MetricsText.ScrapeAsync(Hub.MetricsPort, "application/openmetrics-text; version=1.0.0");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", contentType);
        Assert.Contains("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n", body, StringComparison.Ordinal);
        Assert.EndsWith("\n# EOF\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAndRuntimeMetrics_AreExposed()
    {
        var text = await MetricsText.ScrapeTextAsync(Hub.MetricsPort);

        Assert.True(MetricsText.Value(text, "process_cpu_seconds_total") > 0);
        Assert.True(MetricsText.Value(text, "process_resident_memory_bytes") > 1 << 20);
        Assert.True(MetricsText.Value(text, "process_open_fds") > 0);
        Assert.True(MetricsText.Value(text, "process_max_fds") > 0);
        var started = DateTimeOffset.FromUnixTimeMilliseconds((long)(MetricsText.Value(text, "process_start_time_seconds") * 1000));
        Assert.InRange(started, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes_total ", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"} ", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_thread_pool_thread_count_value gauge\n", text, StringComparison.Ordinal); // declared a counter by the runtime
    }

    [Fact]
    public async Task MetricsPort_ServesOnlyMetrics_AndTheHttpPortNoMetrics()
    {
        using var http = new HttpClient();
        using var onHttpPort = await http.GetAsync($"http://127.0.0.1:{Hub.HttpPort}/metrics");
        using var apiOnMetricsPort = await http.GetAsync($"http://127.0.0.1:{Hub.MetricsPort}/healthz");
        using var postOnMetricsPort = await http.PostAsync($"http://127.0.0.1:{Hub.MetricsPort}/metrics", Content("{}"));
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{Hub.MetricsPort}/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, onHttpPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }
}

/// <summary>One hub for the metrics endpoint tests.</summary>
public sealed class MetricsHubFixture : IAsyncLifetime
{
    internal HubProcess Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = HubProcess.Start();
        await Hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();
}
