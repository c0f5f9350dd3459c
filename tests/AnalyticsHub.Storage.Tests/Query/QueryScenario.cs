using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Storage;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>A JSON value of a scenario event's tags or payload: a string, a number, a boolean, or an array of strings.</summary>
public readonly record struct JsonValue(string? Text, double? Number, bool? Flag, string[]? Array)
{
    public static JsonValue Of(string text) => new(text, null, null, null);

    public static JsonValue Of(double number) => new(null, number, null, null);

    public static JsonValue Of(bool flag) => new(null, null, flag, null);

    public static JsonValue Of(string[] array) => new(null, null, null, array);
}

/// <summary>One event of the scenario, as plain C# values (the reference the stores are checked against).</summary>
public sealed record ScenarioEvent
{
    public required string Tenant { get; init; }
    public required long TimeNs { get; init; }
    public required string Id { get; init; }
    public SourceModule SourceModule { get; init; }
    public EventType EventType { get; init; }
    public Severity Severity { get; init; }
    public PayloadKind PayloadKind { get; init; }
    public string Name { get; init; } = "";
    public double Value { get; init; }
    public string Unit { get; init; } = "";
    public ulong InputTokens { get; init; }
    public ulong OutputTokens { get; init; }
    public string Environment { get; init; } = "";
    public string AssetId { get; init; } = "";
    public string CorrelationId { get; init; } = "";
    public string ParentEventId { get; init; } = "";
    public IReadOnlyList<(string Key, string Value)> Tags { get; init; } = [];

    /// <summary>Top-level payload fields before the map, the map, and fields after it (wire order, as the ingestion writes them).</summary>
    public IReadOnlyList<(string Key, JsonValue Value)> PayloadBefore { get; init; } = [];
    public string MapName { get; init; } = "";
    public IReadOnlyList<(string Key, string Value)> Map { get; init; } = [];
    public IReadOnlyList<(string Key, JsonValue Value)> PayloadAfter { get; init; } = [];

    public string TagsJson => QueryScenario.Json(w =>
    {
        foreach (var (k, v) in Tags)
        {
            w.WriteString(k, v);
        }
    });

    public string PayloadJson => QueryScenario.Json(w =>
    {
        foreach (var (k, v) in PayloadBefore)
        {
            QueryScenario.Write(w, k, v);
        }

        if (MapName.Length > 0)
        {
            w.WriteStartObject(MapName);
            foreach (var (k, v) in Map)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        foreach (var (k, v) in PayloadAfter)
        {
            QueryScenario.Write(w, k, v);
        }
    });
}

/// <summary>
/// The deterministic data set every query test runs on, in all three stores: ~700 events of tenant
/// <c>acme</c> across two days (a midnight, many hour and minute boundaries, equal timestamps broken by
/// event id), a second tenant at the same times, events just outside the range, every payload kind and
/// severity, series tags in tags and in payload maps (under aliases), a map key that repeats a top-level
/// payload field, awkward text (quotes, backslashes, braces, newlines, non-ASCII, astral characters), and
/// non-finite values.
/// </summary>
public static class QueryScenario
{
    public const string Tenant = "acme";
    public const string OtherTenant = "other";

    /// <summary>2026-11-24 00:00:00 UTC: the start of the query range (a day boundary).</summary>
    public static readonly long Day0 = Ns(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));

    public static readonly long Start = Day0;
    public static readonly long End = Day0 + (2 * 86_400_000_000_000L);

    public static readonly string[] AwkwardTexts =
    [
        "it's", @"back\slash", "quote\"d", "ünïcödé 😀", "new\nline", "{brace}", "[x]", @"ends\", "tab\tkey", "percent%_under",
    ];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static IReadOnlyList<ScenarioEvent> Events { get; } = Build();

    public static StoredEventBatch Batch()
    {
        var batch = new StoredEventBatch();
        batch.FirstAddress = 64;
        long address = 64;
        int index = 0;
        foreach (var e in Events)
        {
            if (index == 50)
            {
                address += 4096;
                index = 0;
            }

            ref var row = ref batch.AddRow();
            if (!Core.Validation.Uuid.TryParse(Encoding.UTF8.GetBytes(e.Id), out row.IdHigh, out row.IdLow))
            {
                throw new InvalidOperationException("not a UUID: " + e.Id);
            }

            row.WalAddress = address;
            row.WalIndex = index++;
            row.EventId = Text(batch, e.Id);
            row.TenantId = Text(batch, e.Tenant);
            row.TimeUnixNano = e.TimeNs;
            row.ReceivedUnixNano = e.TimeNs + 1_000_123;
            row.SourceModule = e.SourceModule;
            row.EventType = e.EventType;
            row.Severity = e.Severity;
            row.PayloadKind = e.PayloadKind;
            row.ValueDimension = e.PayloadKind == PayloadKind.Telemetry ? UnitDimension.Duration : UnitDimension.None;
            row.SchemaVersion = Text(batch, "1.0.0");
            row.CorrelationId = Text(batch, e.CorrelationId);
            row.ParentEventId = Text(batch, e.ParentEventId);
            row.Environment = Text(batch, e.Environment);
            row.AssetId = Text(batch, e.AssetId);
            row.TagsJson = Text(batch, e.TagsJson);
            row.Name = Text(batch, e.Name);
            row.Value = e.Value;
            row.Unit = Text(batch, e.Unit);
            row.InputTokens = e.InputTokens;
            row.OutputTokens = e.OutputTokens;
            row.PayloadJson = Text(batch, e.PayloadJson);
        }

        batch.NextAddress = address + 4096;
        return batch;
    }

    public static long Ns(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    internal static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static void Write(Utf8JsonWriter writer, string key, JsonValue value)
    {
        if (value.Text is { } text)
        {
            writer.WriteString(key, text);
        }
        else if (value.Number is { } number)
        {
            writer.WriteNumber(key, number);
        }
        else if (value.Flag is { } flag)
        {
            writer.WriteBoolean(key, flag);
        }
        else
        {
            writer.WriteStartArray(key);
            foreach (var item in value.Array ?? [])
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }
    }

    private static ArenaSlice Text(StoredEventBatch batch, string value) =>
        value.Length == 0 ? default : batch.AddText(Encoding.UTF8.GetBytes(value));

    private static IReadOnlyList<ScenarioEvent> Build()
    {
        var random = new Random(20261124);
        var events = new List<ScenarioEvent>();
        string[] models = ["gpt-4o", "claude-3", "llama-3"];
        string[] regions = ["eu-west-1", "us-east-1"];
        string[] tiers = ["gold", "silver", "bronze"];
        long previous = 0;
        for (int i = 0; i < 700; i++)
        {
            // 10:00 on day 0 to 02:00 on day 1, in whole milliseconds plus some nanoseconds; every 25th
            // event at exactly the previous one's time (ties broken by event id), every 40th on a minute.
            long time = Day0 + (10 * 3_600_000_000_000L) + ((long)random.Next(0, 16 * 3600 * 1000) * 1_000_000L) + (i % 3 == 0 ? random.Next(1, 999_999) : 0);
            if (i % 25 == 24)
            {
                time = previous;
            }
            else if (i % 40 == 7)
            {
                time -= time % 60_000_000_000L;
            }

            previous = time;
            events.Add(Event(i, Tenant, time, random, models, regions, tiers));
        }

        // The other tenant at the same times: never in any result of acme.
        for (int i = 0; i < 40; i++)
        {
            events.Add(Event(1000 + i, OtherTenant, events[i * 7].TimeNs, random, models, regions, tiers));
        }

        // At the range's edges: start (in), start − 1 ns (out), end − 1 ns (in), end (out).
        events.Add(Event(2000, Tenant, Start, random, models, regions, tiers));
        events.Add(Event(2001, Tenant, Start - 1, random, models, regions, tiers));
        events.Add(Event(2002, Tenant, End - 1, random, models, regions, tiers));
        events.Add(Event(2003, Tenant, End, random, models, regions, tiers));
        return events;
    }

    private static ScenarioEvent Event(int i, string tenant, long time, Random random, string[] models, string[] regions, string[] tiers)
    {
        string id = EventId(random);
        string model = models[i % models.Length];
        string environment = (i % 7) switch { 0 => "", 1 or 2 => "staging", _ => "production" };
        string asset = i % 6 == 5 ? "" : "asset-" + (i % 5).ToString(CultureInfo.InvariantCulture);
        string correlation = i % 3 == 0 ? "" : "trace-" + (i / 9).ToString(CultureInfo.InvariantCulture);
        string parent = i % 4 == 0 ? "" : "parent-" + (i % 11).ToString(CultureInfo.InvariantCulture);
        var tags = new List<(string, string)>();
        bool modelInTags = i % 4 != 3;
        if (modelInTags)
        {
            tags.Add(("model", model));
        }

        if (i % 50 == 17)
        {
            tags.Add(("region", "")); // present but empty: the series tag is "" (the payload map's region is not used)
        }
        else if (i % 5 != 4)
        {
            tags.Add(("region", regions[i % 2]));
        }

        tags.Add(("user_tier", i % 9 == 8 ? "" : tiers[(i / 3) % 3]));
        if (i % 10 == 3)
        {
            tags.Add(("label", AwkwardTexts[(i / 10) % AwkwardTexts.Length]));
        }

        if (i % 12 == 1)
        {
            tags.Add(("latency_bucket", ((i / 12) % 4 * 50).ToString(CultureInfo.InvariantCulture)));
        }

        if (i == 13)
        {
            tags.Add(("we\"ird key", "odd"));
            tags.Add(("ключ", "значение"));
        }

        // Map: the model under its alias when not in tags (the series tag falls back to it).
        var map = new List<(string, string)> { ("endpoint", i % 2 == 0 ? "/v1/chat" : "/v1/embed") };
        if (!modelInTags)
        {
            map.Add(("model_id", model));
        }

        if (i % 10 == 6)
        {
            map.Add(("note", AwkwardTexts[(i / 10) % AwkwardTexts.Length]));
        }

        if (i % 5 == 4 || i % 50 == 17)
        {
            map.Add(("region", "ap-south-1"));
        }

        var severity = (i % 13, i % 17) switch
        {
            (_, 0) => Severity.Unspecified,
            (0, _) => Severity.Error,
            (5, _) => Severity.Warning,
            (9, _) => Severity.Debug,
            _ => Severity.Info,
        };

        var e = new ScenarioEvent
        {
            Tenant = tenant, TimeNs = time, Id = id, Environment = environment, AssetId = asset, CorrelationId = correlation,
            ParentEventId = parent, Tags = tags, Severity = severity,
        };
        switch (i % 10)
        {
            case 0 or 1 or 2 or 3:
                double latency = Math.Round(Math.Exp(3 + (random.NextDouble() * 4)), 3); // 20 ms .. 1 s, long-tailed
                if (i == 101)
                {
                    latency = double.NaN;
                }
                else if (i == 202)
                {
                    latency = double.PositiveInfinity;
                }

                return e with
                {
                    SourceModule = SourceModule.LlmObservatory, EventType = EventType.Telemetry, PayloadKind = PayloadKind.Telemetry,
                    Name = "latency_ms", Value = latency, Unit = "ms", MapName = "dimensions", Map = map,
                };
            case 4:
                return e with
                {
                    SourceModule = SourceModule.LlmObservatory, EventType = EventType.Telemetry, PayloadKind = PayloadKind.Telemetry,
                    Name = "throughput", Value = random.Next(1, 500), Unit = "per_second", MapName = "dimensions", Map = map,
                };
            case 5:
                // attribution repeats model_id, with another value than the top-level field after it.
                return e with
                {
                    SourceModule = SourceModule.LlmCostOps, EventType = EventType.Cost, PayloadKind = PayloadKind.Cost,
                    Severity = i % 20 == 5 ? Severity.Error : Severity.Info,
                    Name = "inference", Value = Math.Round(random.NextDouble() / 10, 6), Unit = "USD",
                    InputTokens = (ulong)random.Next(100, 5000), OutputTokens = (ulong)random.Next(10, 900),
                    MapName = "attribution", Map = [("team", i % 3 == 0 ? "search" : "chat"), ("model_id", "attr-" + model)],
                    PayloadAfter = [("model_id", JsonValue.Of(model))],
                };
            case 6:
                return e with
                {
                    SourceModule = SourceModule.LlmSentinel, EventType = EventType.Security, PayloadKind = PayloadKind.Security,
                    Severity = i % 20 == 6 ? Severity.Critical : Severity.Error,
                    Name = "prompt_injection", Unit = "high",
                    PayloadBefore =
                    [
                        ("description", JsonValue.Of("ignore \"previous\" {instructions} \\ " + AwkwardTexts[i % AwkwardTexts.Length])),
                        ("source_ip", JsonValue.Of("10.0.0." + (i % 250).ToString(CultureInfo.InvariantCulture))),
                        ("user_id", JsonValue.Of("u-" + (i % 13).ToString(CultureInfo.InvariantCulture))),
                        ("affected_resources", JsonValue.Of(["r1", "endpoint", "{x}"])),
                    ],
                    MapName = "details", Map = map,
                };
            case 7:
                return e with
                {
                    SourceModule = SourceModule.LlmPolicyEngine, EventType = EventType.Policy, PayloadKind = PayloadKind.Policy,
                    Severity = Severity.Warning, Name = "pii-filter", Value = Math.Round(random.NextDouble(), 2), Unit = i % 2 == 0 ? "deny" : "allow",
                    PayloadBefore =
                    [
                        ("passed", JsonValue.Of(i % 20 != 7)),
                        ("rule_id", JsonValue.Of("r-" + (i % 4).ToString(CultureInfo.InvariantCulture))),
                        ("evaluation_ms", JsonValue.Of((i % 3) + 0.5)),
                    ],
                    MapName = "details", Map = map,
                };
            case 8:
                return e with
                {
                    SourceModule = SourceModule.LlmRegistry, EventType = EventType.Metadata, PayloadKind = PayloadKind.Metadata,
                    Name = "model_registered", Unit = "v" + (i % 3).ToString(CultureInfo.InvariantCulture),
                    PayloadBefore = [("asset_type", JsonValue.Of("model")), ("owner", JsonValue.Of("team-" + (i % 2).ToString(CultureInfo.InvariantCulture)))],
                    MapName = "attributes", Map = map,
                };
            default:
                return i % 20 == 9
                    ? e with
                    {
                        SourceModule = SourceModule.LlmGovernance, EventType = EventType.Governance, PayloadKind = PayloadKind.Governance,
                        Name = "audit_trail", Unit = "approved",
                        PayloadBefore = [("policy_id", JsonValue.Of("gov-1")), ("actor", JsonValue.Of("alice")), ("lineage", JsonValue.Of(["a", "b"]))],
                        MapName = "details", Map = map,
                    }
                    : e with
                    {
                        SourceModule = SourceModule.LlmObservatory, EventType = EventType.Unspecified, PayloadKind = PayloadKind.Custom,
                        Name = "custom_event", MapName = "fields", Map = map,
                        PayloadBefore = [("json", JsonValue.Of("{\"a\":1}"))],
                    };
        }
    }

    private static string EventId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
