using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>
/// The REST body for a batch — a JSON array of events in the seed's schema — written once, then
/// patched in place per send like <see cref="ProtoBatchTemplate"/>: each event's id counter and
/// its <c>timestamp</c>, a fixed-width ISO-8601 UTC text (<c>2026-11-24T10:00:00.1234567Z</c>).
/// </summary>
public sealed class JsonBatchTemplate
{
    /// <summary>Length of <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    public const int TimestampLength = 28;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly byte[] _buffer;
    private readonly int[] _counterOffsets;
    private readonly int[] _timeOffsets;

    private JsonBatchTemplate(byte[] buffer, int[] counterOffsets, int[] timeOffsets)
    {
        _buffer = buffer;
        _counterOffsets = counterOffsets;
        _timeOffsets = timeOffsets;
    }

    public int EventCount => _counterOffsets.Length;

    public int Length => _buffer.Length;

    /// <summary>Writes <paramref name="events"/> as a JSON array; their ids get <paramref name="ids"/>' run prefix.</summary>
    public static JsonBatchTemplate Create(IReadOnlyList<AnalyticsEvent> events, EventIdGenerator ids)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(ids);
        var output = new ArrayBufferWriter<byte>(events.Count * 400);
        var counters = new int[events.Count];
        var times = new int[events.Count];
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false }))
        {
            writer.WriteStartArray();
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                writer.WriteStartObject();
                writer.WriteString("event_id"u8, ids.Format(0));
                writer.Flush();

                // The value ends just before the closing quote of what was written last.
                counters[i] = (int)writer.BytesCommitted - 1 - EventIdGenerator.TextLength + EventIdGenerator.CounterOffset;
                writer.WriteString("timestamp"u8, new string('0', TimestampLength));
                writer.Flush();
                times[i] = (int)writer.BytesCommitted - 1 - TimestampLength;
                WriteBody(writer, e);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return new JsonBatchTemplate(output.WrittenSpan.ToArray(), counters, times);
    }

    /// <summary>
    /// Rewrites ids and timestamps; returns the body, valid until the next patch. With a
    /// <paramref name="spread"/>, each event's time is drawn from the window before <paramref name="utcNow"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Patch(ulong firstCounter, DateTime utcNow, TimeSpread? spread = null)
    {
        Span<byte> stamp = stackalloc byte[TimestampLength];
        FormatTimestamp(utcNow, stamp);
        var buffer = _buffer;
        var nowNanos = (ulong)(utcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100UL;
        for (var i = 0; i < _counterOffsets.Length; i++)
        {
            EventIdGenerator.WriteCounter(firstCounter + (ulong)i, buffer.AsSpan(_counterOffsets[i], EventIdGenerator.CounterLength));
            if (spread is not null)
            {
                var ticks = (long)(spread.Sample(nowNanos) / 100UL) + DateTime.UnixEpoch.Ticks;
                FormatTimestamp(new DateTime(ticks, DateTimeKind.Utc), stamp);
            }

            stamp.CopyTo(buffer.AsSpan(_timeOffsets[i], TimestampLength));
        }

        return buffer;
    }

    /// <summary>Formats a UTC time as exactly <see cref="TimestampLength"/> ASCII bytes.</summary>
    public static void FormatTimestamp(DateTime utc, Span<byte> destination)
    {
        if (!utc.TryFormat(destination, out var written, TimestampFormat, CultureInfo.InvariantCulture) || written != TimestampLength)
        {
            throw new FormatException($"Timestamp {utc:O} does not fit {TimestampLength} characters.");
        }
    }

    private static void WriteBody(Utf8JsonWriter writer, AnalyticsEvent e)
    {
        writer.WriteString("source_module"u8, ModuleName(e.SourceModule));
        writer.WriteString("event_type"u8, e.EventType.ToString().ToLowerInvariant());
        writer.WriteString("schema_version"u8, e.SchemaVersion);
        writer.WriteString("severity"u8, e.Severity.ToString().ToLowerInvariant());
        writer.WriteString("environment"u8, e.Environment);
        WriteMap(writer, "tags", e.Tags);
        writer.WritePropertyName("payload"u8);
        writer.WriteStartObject();
        switch (e.PayloadCase)
        {
            case AnalyticsEvent.PayloadOneofCase.Telemetry:
                writer.WriteString("metric_name"u8, e.Telemetry.MetricName);
                writer.WriteNumber("metric_value"u8, e.Telemetry.MetricValue);
                writer.WriteString("unit"u8, e.Telemetry.Unit);
                WriteMap(writer, "dimensions", e.Telemetry.Dimensions);
                break;
            case AnalyticsEvent.PayloadOneofCase.Cost:
                writer.WriteString("cost_type"u8, e.Cost.CostType);
                writer.WriteNumber("amount"u8, e.Cost.Amount);
                writer.WriteString("currency"u8, e.Cost.Currency);
                if (e.Cost.ModelId.Length > 0)
                {
                    writer.WriteString("model_id"u8, e.Cost.ModelId);
                }

                break;
            case AnalyticsEvent.PayloadOneofCase.Policy:
                writer.WriteString("policy_id"u8, e.Policy.PolicyId);
                writer.WriteString("decision"u8, e.Policy.Decision);
                writer.WriteBoolean("passed"u8, e.Policy.Passed);
                writer.WriteNumber("score"u8, e.Policy.Score);
                break;
            case AnalyticsEvent.PayloadOneofCase.Security:
                writer.WriteString("threat_type"u8, e.Security.ThreatType);
                writer.WriteString("threat_level"u8, e.Security.ThreatLevel);
                writer.WriteString("description"u8, e.Security.Description);
                break;
            default:
                throw new ArgumentException($"Payload {e.PayloadCase} has no JSON form in the load runner.", nameof(e));
        }

        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IDictionary<string, string> map)
    {
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The seed's module names: <c>llm-observatory</c>, <c>llm-policy-engine</c>, ...</summary>
    public static string ModuleName(SourceModule module) => module switch
    {
        SourceModule.LlmObservatory => "llm-observatory",
        SourceModule.LlmSentinel => "llm-sentinel",
        SourceModule.LlmCostops => "llm-costops",
        SourceModule.LlmGovernance => "llm-governance",
        SourceModule.LlmRegistry => "llm-registry",
        SourceModule.LlmPolicyEngine => "llm-policy-engine",
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, "No module name."),
    };
}
