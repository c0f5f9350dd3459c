namespace AnalyticsHub.Server.Configuration;

/// <summary>
/// <c>Hub:Tracing</c>: OpenTelemetry spans exported over OTLP. Off while <see cref="OtlpEndpoint"/> is empty (the
/// default): then no tracer provider exists, nothing listens to the hub's activity source and spans cost nothing.
/// </summary>
public sealed class TracingOptions
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector's base URL, e.g. <c>http://collector:4317</c> (gRPC) or <c>http://collector:4318</c> (HTTP); empty: tracing off.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary><c>grpc</c> or <c>http/protobuf</c> (then <c>/v1/traces</c> is appended unless the URL already ends with it).</summary>
    public string Protocol { get; set; } = Grpc;

    /// <summary>Share of new traces recorded, 0–1; a caller's sampled flag decides for traces it started (parent-based).</summary>
    public double SampleRatio { get; set; } = 1;

    /// <summary>The resource's <c>service.name</c>.</summary>
    public string ServiceName { get; set; } = "analyticshub";

    /// <summary>How long finished spans wait to be sent in one export batch.</summary>
    public int ExportIntervalMs { get; set; } = 5_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
