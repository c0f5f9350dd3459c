using System.Text;

namespace AnalyticsHub.Server.Tests.Rest;

/// <summary>JSON event bodies in the seed's schema, for the REST and WebSocket tests.</summary>
internal static class JsonEvents
{
    public static string Now => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public static string Telemetry(string? eventId = null, double value = 12.5, string unit = "ms") =>
        $$$"""{"event_id":"{{{eventId ?? Guid.NewGuid().ToString()}}}","timestamp":"{{{Now}}}","source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0","severity":"info","environment":"prod","tags":{"model":"gpt-4o","region":"eu"},"payload":{"metric_name":"latency_ms","metric_value":{{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"unit":"{{{unit}}}"}}""";

    public static string Cost(string currency, string? eventId = null) =>
        $$$"""{"event_id":"{{{eventId ?? Guid.NewGuid().ToString()}}}","timestamp":"{{{Now}}}","source_module":"llm-costops","event_type":"cost","schema_version":"1.0.0","payload":{"cost_type":"tokens","amount":3.5,"currency":"{{{currency}}}"}}""";

    public static string Array(params string[] events) => "[" + string.Join(",", events) + "]";

    public static string Array(int count) => Array(Enumerable.Range(0, count).Select(_ => Telemetry()).ToArray());

    public static StringContent Content(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);
}
