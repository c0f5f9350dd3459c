using AnalyticsHub.Contracts.V1;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>
/// Plausible platform events of each <see cref="EventKind"/>, drawn from a seeded
/// <see cref="Random"/>: a handful of models (<see cref="ModelNames"/>, 4 unless asked for more),
/// regions and environments (low/medium-cardinality series keys), metric values spread over
/// realistic ranges. A telemetry event encodes to about 150 bytes.
/// </summary>
public static class EventFactory
{
    private static readonly string[] DefaultModels = ModelNames.Create(ModelNames.Default);
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];
    private static readonly string[] Environments = ["production", "production", "production", "staging"];
    private static readonly string[] Threats = ["prompt_injection", "jailbreak", "data_exfiltration", "pii_leak"];
    private static readonly string[] Policies = ["pii-redaction", "toxicity-filter", "cost-cap", "model-allowlist"];
    private static readonly string[] Decisions = ["allow", "allow", "allow", "deny", "warn"];

    /// <summary>Builds one event; <paramref name="eventId"/> and <paramref name="timeUnixNano"/> are placeholders to patch.</summary>
    public static AnalyticsEvent Create(EventKind kind, Random random, string eventId, ulong timeUnixNano) =>
        Create(kind, random, eventId, timeUnixNano, DefaultModels);

    /// <summary>As above, the model drawn from <paramref name="models"/>.</summary>
    public static AnalyticsEvent Create(EventKind kind, Random random, string eventId, ulong timeUnixNano, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(models);
        var model = models[random.Next(models.Count)];
        var e = new AnalyticsEvent
        {
            EventId = eventId,
            TimeUnixNano = timeUnixNano,
            SchemaVersion = "1.0.0",
            Environment = Pick(random, Environments),
            Severity = Severity.Info,
        };
        e.Tags.Add("region", Pick(random, Regions));
        switch (kind)
        {
            case EventKind.Telemetry:
                e.SourceModule = SourceModule.LlmObservatory;
                e.EventType = EventType.Telemetry;
                e.Telemetry = random.Next(2) == 0
                    ? new TelemetryPayload { MetricName = "llm.request.latency", MetricValue = Math.Round(LogNormal(random, 5.5, 0.8), 2), Unit = "ms" }
                    : new TelemetryPayload { MetricName = "llm.tokens.total", MetricValue = random.Next(16, 4096), Unit = "tokens" };
                e.Telemetry.Dimensions.Add("model_id", model);
                break;
            case EventKind.Cost:
                e.SourceModule = SourceModule.LlmCostops;
                e.EventType = EventType.Cost;
                e.Cost = new CostPayload
                {
                    CostType = "token_cost",
                    Amount = Math.Round(0.0001 + (random.NextDouble() * 0.25), 6),
                    Currency = "USD",
                    ModelId = model,
                };
                break;
            case EventKind.Policy:
                e.SourceModule = SourceModule.LlmPolicyEngine;
                e.EventType = EventType.Policy;
                var decision = Pick(random, Decisions);
                e.Policy = new PolicyPayload
                {
                    PolicyId = Pick(random, Policies),
                    Decision = decision,
                    Passed = decision != "deny",
                    Score = Math.Round(random.NextDouble(), 3),
                };
                break;
            case EventKind.Security:
                e.SourceModule = SourceModule.LlmSentinel;
                e.EventType = EventType.Security;
                e.Severity = Severity.Error;
                e.Security = new SecurityPayload
                {
                    ThreatType = Pick(random, Threats),
                    ThreatLevel = "high",
                    Description = "Suspicious prompt pattern detected by the input guard",
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind.");
        }

        return e;
    }

    /// <summary>
    /// The events of one batch: the mix's counts per kind (<see cref="EventMix.CountsFor"/>), in a
    /// shuffled order, ids from <paramref name="ids"/> starting at counter 0.
    /// </summary>
    public static List<AnalyticsEvent> CreateBatch(EventMix mix, int batchSize, Random random, EventIdGenerator ids, ulong timeUnixNano) =>
        CreateBatch(mix, batchSize, random, ids, timeUnixNano, DefaultModels);

    /// <summary>As above, models drawn from <paramref name="models"/> (<c>--models</c>).</summary>
    public static List<AnalyticsEvent> CreateBatch(EventMix mix, int batchSize, Random random, EventIdGenerator ids, ulong timeUnixNano, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(mix);
        ArgumentNullException.ThrowIfNull(ids);
        var counts = mix.CountsFor(batchSize);
        var kinds = new EventKind[batchSize];
        var n = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            for (var i = 0; i < counts[k]; i++)
            {
                kinds[n++] = mix.Weights[k].Kind;
            }
        }

        random.Shuffle(kinds);
        var events = new List<AnalyticsEvent>(batchSize);
        for (var i = 0; i < batchSize; i++)
        {
            events.Add(Create(kinds[i], random, ids.Format((ulong)i), timeUnixNano, models));
        }

        return events;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static double LogNormal(Random random, double mu, double sigma)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Exp(mu + (sigma * normal));
    }
}
