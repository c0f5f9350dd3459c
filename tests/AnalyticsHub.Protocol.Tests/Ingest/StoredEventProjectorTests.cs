using System.Text;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Protocol.Ingest;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Ingest;

/// <summary>
/// WAL record → store rows: the accepted events only, in order, with the hub's normalized values,
/// the Registry/Policy renames, tags and the rest of the payload as JSON (originals kept when a
/// value was converted), and each row's WAL position.
/// </summary>
public sealed class StoredEventProjectorTests
{
    private const long Second = 1_000_000_000;
    private const long SentTime = AdmittedBatch.Now - (10 * Second);
    private const long Address = 4_096;

    [Fact]
    public void AcceptedEventsOnly_InOrder_WithPositionsTimesAndTenant()
    {
        using var admitted = AdmittedBatch.Of(
            Telemetry("0f8fad5b-d9cb-469f-a165-708677289501", "s", 1.5),
            Telemetry("not-a-uuid", "ms", 1),
            Telemetry("0f8fad5b-d9cb-469f-a165-708677289501", "ms", 2), // duplicate
            Cost("0f8fad5b-d9cb-469f-a165-708677289503", "EUR", 10));
        var rows = Project(admitted, out var batch);
        using (batch)
        {
            Assert.Equal(2, rows.Length);
            Assert.Equal([(Address, 0), (Address, 1)], rows.Select(r => (r.WalAddress, r.WalIndex)));
            Assert.Equal("0f8fad5b-d9cb-469f-a165-708677289501", Text(batch, rows[0].EventId));
            Assert.Equal(0x0f8fad5bd9cb469fUL, rows[0].IdHigh);
            Assert.Equal(0xa165708677289501UL, rows[0].IdLow);
            Assert.Equal(SentTime + (2 * Second), rows[0].TimeUnixNano); // Observatory's +2 s skew
            Assert.Equal(AdmittedBatch.ReceivedUnixNano, rows[0].ReceivedUnixNano);
            Assert.Equal("default", Text(batch, rows[0].TenantId));
            Assert.Equal("acme", Text(batch, rows[1].TenantId));
            Assert.Equal(SourceModule.LlmCostOps, rows[1].SourceModule);
            Assert.Equal(EventType.Cost, rows[1].EventType);
            Assert.Equal(PayloadKind.Cost, rows[1].PayloadKind);
        }
    }

    [Fact]
    public void ConvertedValue_InCanonicalUnit_OriginalsKeptInPayloadJson()
    {
        using var admitted = AdmittedBatch.Of(
            Telemetry("0f8fad5b-d9cb-469f-a165-708677289501", "s", 1.5),
            Telemetry("0f8fad5b-d9cb-469f-a165-708677289502", "tokens", 42),
            Cost("0f8fad5b-d9cb-469f-a165-708677289503", "EUR", 10));
        var rows = Project(admitted, out var batch);
        using (batch)
        {
            Assert.Equal(("latency", 1_500d, "ms", UnitDimension.Duration), (Text(batch, rows[0].Name), rows[0].Value, Text(batch, rows[0].Unit), rows[0].ValueDimension));
            using (var json = Json(batch, rows[0].PayloadJson))
            {
                Assert.Equal(1.5, json.RootElement.GetProperty("metric_value").GetDouble());
                Assert.Equal("s", json.RootElement.GetProperty("unit").GetString());
                Assert.Equal("chat", json.RootElement.GetProperty("dimensions").GetProperty("service").GetString());
                Assert.False(json.RootElement.TryGetProperty("metric_name", out _), "the name is a column");
            }

            // An unknown unit stays as given, in the column only.
            Assert.Equal((42d, "tokens", UnitDimension.None), (rows[1].Value, Text(batch, rows[1].Unit), rows[1].ValueDimension));
            using (var json = Json(batch, rows[1].PayloadJson))
            {
                Assert.False(json.RootElement.TryGetProperty("metric_value", out _));
                Assert.False(json.RootElement.TryGetProperty("unit", out _));
            }

            Assert.Equal(("token_cost", 10.8, "USD"), (Text(batch, rows[2].Name), Math.Round(rows[2].Value, 9), Text(batch, rows[2].Unit)));
            Assert.Equal((1200UL, 300UL), (rows[2].InputTokens, rows[2].OutputTokens));
            using (var json = Json(batch, rows[2].PayloadJson))
            {
                Assert.Equal(10, json.RootElement.GetProperty("amount").GetDouble());
                Assert.Equal("EUR", json.RootElement.GetProperty("currency").GetString());
                Assert.Equal("gpt-4o", json.RootElement.GetProperty("model_id").GetString());
                Assert.Equal("search", json.RootElement.GetProperty("attribution").GetProperty("team").GetString());
                Assert.False(json.RootElement.TryGetProperty("input_tokens", out _), "tokens are columns");
            }
        }
    }

    [Fact]
    public void RegistryAndPolicyRenames_PromotedToColumns_AndRenamedInJson()
    {
        using var admitted = AdmittedBatch.Of(
            new V1.AnalyticsEvent
            {
                EventId = "0f8fad5b-d9cb-469f-a165-708677289511",
                TimeUnixNano = (ulong)SentTime,
                SourceModule = V1.SourceModule.LlmRegistry,
                EventType = V1.EventType.Metadata,
                Metadata = new V1.MetadataPayload { ChangeType = "registered", Name = "gpt-x", Attributes = { ["id"] = "asset-9", ["model_version"] = "2.1", ["owner_team"] = "ml" } },
            },
            new V1.AnalyticsEvent
            {
                EventId = "0f8fad5b-d9cb-469f-a165-708677289512",
                TimeUnixNano = (ulong)SentTime,
                SourceModule = V1.SourceModule.LlmPolicyEngine,
                EventType = V1.EventType.Policy,
                Policy = new V1.PolicyPayload { Decision = "deny", Passed = true, Score = 0.25, EvaluationMs = 1.5, Details = { ["policy_name"] = "pii-filter", ["level"] = "high", ["violation_id"] = "v-1" } },
            });
        var rows = Project(admitted, out var batch);
        using (batch)
        {
            Assert.Equal("asset-9", Text(batch, rows[0].AssetId));
            Assert.Equal("2.1", Text(batch, rows[0].Unit)); // metadata.version
            using (var json = Json(batch, rows[0].PayloadJson))
            {
                var attributes = json.RootElement.GetProperty("attributes");
                Assert.Equal(("asset-9", "2.1", "ml"), (attributes.GetProperty("asset_id").GetString(), attributes.GetProperty("version").GetString(), attributes.GetProperty("owner").GetString()));
                Assert.Equal("gpt-x", json.RootElement.GetProperty("name").GetString());
            }

            Assert.Equal("pii-filter", Text(batch, rows[1].Name)); // policy_id
            Assert.Equal(Severity.Error, rows[1].Severity); // level "high"
            Assert.Equal((0.25, "deny"), (rows[1].Value, Text(batch, rows[1].Unit)));
            using (var json = Json(batch, rows[1].PayloadJson))
            {
                Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
                Assert.Equal(1.5, json.RootElement.GetProperty("evaluation_ms").GetDouble());
                var details = json.RootElement.GetProperty("details");
                Assert.Equal(("pii-filter", "high", "v-1"), (details.GetProperty("policy_id").GetString(), details.GetProperty("severity").GetString(), details.GetProperty("id").GetString()));
            }
        }
    }

    [Fact]
    public void TagsRepeatedStringsAndHostileText_AreValidJson()
    {
        using var admitted = AdmittedBatch.Of(new V1.AnalyticsEvent
        {
            EventId = "0f8fad5b-d9cb-469f-a165-708677289521",
            TimeUnixNano = (ulong)SentTime,
            SourceModule = V1.SourceModule.LlmSentinel,
            EventType = V1.EventType.Security,
            Severity = V1.Severity.Critical,
            Tags = { ["quote\"key"] = "back\\slash\nnewline", ["ünï"] = "ç☃" },
            Security = new V1.SecurityPayload
            {
                ThreatType = "prompt_injection",
                ThreatLevel = "critical",
                Description = "ignore \"previous\" </script>",
                AffectedResources = { "r1", "r2" },
                Details = { ["k"] = "v" },
            },
        });
        var rows = Project(admitted, out var batch);
        using (batch)
        {
            using (var tags = Json(batch, rows[0].TagsJson))
            {
                Assert.Equal("back\\slash\nnewline", tags.RootElement.GetProperty("quote\"key").GetString());
                Assert.Equal("ç☃", tags.RootElement.GetProperty("ünï").GetString());
            }

            Assert.Contains("ç☃", Encoding.UTF8.GetString(batch.Text(rows[0].TagsJson)), StringComparison.Ordinal); // UTF-8 kept, not \u-escaped
            using var payload = Json(batch, rows[0].PayloadJson);
            Assert.Equal("ignore \"previous\" </script>", payload.RootElement.GetProperty("description").GetString());
            Assert.Equal(["r1", "r2"], payload.RootElement.GetProperty("affected_resources").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("v", payload.RootElement.GetProperty("details").GetProperty("k").GetString());
            Assert.False(payload.RootElement.TryGetProperty("threat_level", out _), "threat_level is the unit column");
        }
    }

    [Fact]
    public void NotAnIngestRecord_ProjectsNothing()
    {
        using var projector = new StoredEventProjector();
        using var batch = new StoredEventBatch();
        Assert.False(projector.TryProject(Address, [0x0A, 0xFF, 0xFF], batch, out _));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void EventBytes_ReturnsTheAcceptedEventsOriginalBytes()
    {
        var cost = Cost("0f8fad5b-d9cb-469f-a165-708677289503", "EUR", 10);
        using var admitted = AdmittedBatch.Of(Telemetry("bad", "ms", 1), cost);
        using var projector = new StoredEventProjector();
        var bytes = projector.EventBytes(admitted.Record, 0);
        Assert.NotNull(bytes);
        var parsed = V1.AnalyticsEvent.Parser.ParseFrom(bytes);
        Assert.Equal(cost.EventId, parsed.EventId);
        Assert.Equal(cost.Cost.Currency, parsed.Cost.Currency);
        Assert.Null(projector.EventBytes(admitted.Record, 1));
    }

    private static StoredEvent[] Project(AdmittedBatch admitted, out StoredEventBatch batch)
    {
        using var projector = new StoredEventProjector();
        batch = new StoredEventBatch(rowCapacity: 4, arenaCapacity: 64); // small: the arena must grow mid-JSON
        Assert.True(projector.TryProject(Address, admitted.Record, batch, out var error), error.ToString());
        return batch.Rows.ToArray();
    }

    private static string Text(StoredEventBatch batch, ArenaSlice slice) => Encoding.UTF8.GetString(batch.Text(slice));

    private static JsonDocument Json(StoredEventBatch batch, ArenaSlice slice) => JsonDocument.Parse(batch.Text(slice).ToArray());

    private static V1.AnalyticsEvent Telemetry(string id, string unit, double value) => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)SentTime,
        SourceModule = V1.SourceModule.LlmObservatory,
        EventType = V1.EventType.Telemetry,
        SchemaVersion = "1.2.0",
        Severity = V1.Severity.Info,
        Tags = { ["region"] = "eu-west-1" },
        Telemetry = new V1.TelemetryPayload { MetricName = "latency", MetricValue = value, Unit = unit, Dimensions = { ["service"] = "chat" } },
    };

    private static V1.AnalyticsEvent Cost(string id, string currency, double amount) => new()
    {
        EventId = id,
        TimeUnixNano = (ulong)SentTime,
        SourceModule = V1.SourceModule.LlmCostops,
        EventType = V1.EventType.Cost,
        TenantId = "acme",
        Cost = new V1.CostPayload { CostType = "token_cost", Amount = amount, Currency = currency, InputTokens = 1200, OutputTokens = 300, ModelId = "gpt-4o", Attribution = { ["team"] = "search" } },
    };
}
