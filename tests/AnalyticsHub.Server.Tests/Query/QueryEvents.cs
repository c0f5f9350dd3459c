using System.Globalization;
using System.Text;

namespace AnalyticsHub.Server.Tests.Query;

/// <summary>One event a query test sends, with what the exact answers are computed from.</summary>
internal sealed record QueryEvent(string Id, DateTimeOffset Time, double Value, string Model, string Route, string Tenant, bool Error, bool ModelInPayload, string Offset)
{
    public long UnixNano => (Time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>The seed's JSON event; its timestamp written in the event's own UTC offset.</summary>
    public string Json()
    {
        var offset = Offset == "Z" ? TimeSpan.Zero : TimeSpan.ParseExact(Offset[1..], @"hh\:mm", CultureInfo.InvariantCulture) * (Offset[0] == '-' ? -1 : 1);
        string timestamp = Time.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + Offset;
        var tags = ModelInPayload ? """{"region":"eu"}""" : $$"""{"model":"{{Model}}","region":"eu"}""";
        var dimensions = ModelInPayload ? $$"""{"route":"{{Route}}","model":"{{Model}}"}""" : $$"""{"route":"{{Route}}"}""";
        var tenant = Tenant.Length == 0 ? "" : $$""","tenant_id":"{{Tenant}}" """;
        return $$$"""{"event_id":"{{{Id}}}","timestamp":"{{{timestamp}}}","source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0","severity":"{{{(Error ? "error" : "info")}}}","environment":"prod"{{{tenant}}},"tags":{{{tags}}},"payload":{"metric_name":"latency_ms","metric_value":{{{Value.ToString("R", CultureInfo.InvariantCulture)}}},"unit":"ms","dimensions":{{{dimensions}}}}}""";
    }

    public static List<QueryEvent> Random(Random random, int count, DateTimeOffset now, TimeSpan span)
    {
        string[] models = ["gpt-4o", "claude-3", "llama-3"];
        string[] routes = ["r1", "r2", "r3"];
        string[] offsets = ["Z", "+05:30", "-08:00", "+01:00", "-03:30"];
        var events = new List<QueryEvent>(count);
        for (int i = 0; i < count; i++)
        {
            var age = random.NextDouble() < 0.3 ? TimeSpan.FromSeconds(random.NextDouble() * 30) : span * random.NextDouble();
            double value = Math.Round(Math.Exp(random.NextDouble() * 7), 3);
            events.Add(new QueryEvent(
                Guid.NewGuid().ToString(), now - age, value, models[random.Next(models.Length)], routes[random.Next(routes.Length)],
                random.NextDouble() < 0.1 ? "acme" : "", random.NextDouble() < 0.1, random.NextDouble() < 0.2, offsets[random.Next(offsets.Length)]));
        }
        return events;
    }

    public static StringContent Content(IEnumerable<QueryEvent> events) =>
        new("[" + string.Join(",", events.Select(e => e.Json())) + "]", Encoding.UTF8, "application/json");
}
