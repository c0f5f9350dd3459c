using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class EventValidatorTests
{
    private const long Now = 1_795_000_000_000_000_000;
    private static readonly EventValidator Validator = new();

    [Fact]
    public void ValidTelemetryEvent_IsAccepted()
    {
        using var batch = new RowBuilder().Build(out var row);
        Assert.Equal(Rejection.None, Validator.Validate(batch, row, Now, 0));
    }

    [Theory]
    [InlineData(PayloadKind.Telemetry, EventType.Telemetry)]
    [InlineData(PayloadKind.Cost, EventType.Cost)]
    [InlineData(PayloadKind.Governance, EventType.Governance)]
    [InlineData(PayloadKind.Metadata, EventType.Metadata)]
    [InlineData(PayloadKind.Policy, EventType.Policy)]
    [InlineData(PayloadKind.Custom, EventType.Telemetry)]
    public void EachPayloadKindWithItsType_IsAccepted(PayloadKind kind, EventType type)
    {
        using var batch = new RowBuilder { Kind = kind, Type = type, Value = 1 }.Build(out var row);
        Assert.Equal(Rejection.None, Validator.Validate(batch, row, Now, 0));
    }

    public static TheoryData<string, Action<RowBuilder>, Rejection> Failures => new()
    {
        { "decode error", b => b.DecodeError = EventDecodeError.Truncated, Rejection.MalformedEvent },
        { "no event_id", b => b.EventId = "", Rejection.MissingField },
        { "event_id not a UUID", b => b.EventId = "not-a-uuid", Rejection.InvalidUuid },
        { "UUID without dashes", b => b.EventId = "0f8fad5bd9cb469fa16570867728950e", Rejection.InvalidUuid },
        { "no timestamp", b => b.Time = 0, Rejection.MissingField },
        { "8 days old", b => b.Time = Now - (8L * 24 * 3600 * 1_000_000_000), Rejection.TimestampOutOfRange },
        { "2 hours ahead", b => b.Time = Now + (2L * 3600 * 1_000_000_000), Rejection.TimestampOutOfRange },
        { "no source module", b => b.Module = SourceModule.Unspecified, Rejection.MissingField },
        { "unknown source module", b => b.Module = (SourceModule)99, Rejection.InvalidValue },
        { "no event type", b => b.Type = EventType.Unspecified, Rejection.MissingField },
        { "no payload", b => b.Kind = PayloadKind.None, Rejection.MissingField },
        { "cost payload on telemetry", b => b.Kind = PayloadKind.Cost, Rejection.PayloadMismatch },
        { "schema not semver", b => b.Schema = "1.x", Rejection.InvalidSchemaVersion },
        { "schema major too new", b => b.Schema = "9.0.0", Rejection.UnknownSchemaVersion },
        { "invalid UTF-8 in environment", b => b.EnvironmentBytes = [0xC3, 0x28], Rejection.InvalidUtf8 },
        { "invalid UTF-8 in a tag value", b => b.TagValueBytes = [0xFF], Rejection.InvalidUtf8 },
        { "negative metric", b => b.Value = -1, Rejection.NegativeMetric },
        { "NaN metric", b => b.Value = double.NaN, Rejection.InvalidValue },
        { "zero cost", b => { b.Type = EventType.Cost; b.Kind = PayloadKind.Cost; b.Value = 0; }, Rejection.NonPositiveCost },
        { "security at info", b => { b.Type = EventType.Security; b.Kind = PayloadKind.Security; b.Severity = Severity.Info; }, Rejection.SecuritySeverity },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void EachRule_RejectsWithItsCode(string description, Action<RowBuilder> change, Rejection expected)
    {
        var builder = new RowBuilder();
        change(builder);
        using var batch = builder.Build(out var row);
        Assert.True(expected == Validator.Validate(batch, row, Now, 0), description);
        Assert.NotNull(RejectionCodes.Of(expected));
    }

    [Fact]
    public void SecurityAtWarningOrAbove_IsAccepted()
    {
        foreach (var severity in new[] { Severity.Warning, Severity.Error, Severity.Critical })
        {
            using var batch = new RowBuilder { Type = EventType.Security, Kind = PayloadKind.Security, Severity = severity }.Build(out var row);
            Assert.Equal(Rejection.None, Validator.Validate(batch, row, Now, 0));
        }
    }

    [Fact]
    public void RateLimit_AppliesPerAsset_AndOnlyToOtherwiseValidEvents()
    {
        var limiter = new AssetRateLimiter(new AssetRateLimiterOptions { Enabled = true, EventsPerSecond = 2 });
        var validator = new EventValidator(rateLimiter: limiter);
        using var invalid = new RowBuilder { AssetId = "asset-1", Value = -1 }.Build(out var invalidRow);
        using var valid = new RowBuilder { AssetId = "asset-1" }.Build(out var validRow);
        using var other = new RowBuilder { AssetId = "asset-2" }.Build(out var otherRow);

        // Rejected events spend no tokens ...
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Rejection.NegativeMetric, validator.Validate(invalid, invalidRow, Now, 0));
        }

        // ... so the burst of 2 is intact, then the asset is limited while another is not.
        Assert.Equal(Rejection.None, validator.Validate(valid, validRow, Now, 0));
        Assert.Equal(Rejection.None, validator.Validate(valid, validRow, Now, 0));
        Assert.Equal(Rejection.RateLimited, validator.Validate(valid, validRow, Now, 0));
        Assert.Equal(Rejection.None, validator.Validate(other, otherRow, Now, 0));
        Assert.Equal(Rejection.None, validator.Validate(valid, validRow, Now, 1_000_000_000));
    }

    [Fact]
    public void Validate_AllocatesNothing()
    {
        using var batch = new RowBuilder().Build(out var row);
        Validator.Validate(batch, row, Now, 0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Validator.Validate(batch, row, Now, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Lays an event's strings into an arena and fills one row naming them.</summary>
    public sealed class RowBuilder
    {
        public string EventId { get; set; } = "0f8fad5b-d9cb-469f-a165-70867728950e";
        public long Time { get; set; } = Now - 1_000_000_000;
        public SourceModule Module { get; set; } = SourceModule.LlmObservatory;
        public EventType Type { get; set; } = EventType.Telemetry;
        public PayloadKind Kind { get; set; } = PayloadKind.Telemetry;
        public Severity Severity { get; set; } = Severity.Info;
        public string Schema { get; set; } = "1.0.0";
        public byte[] EnvironmentBytes { get; set; } = "production"u8.ToArray();
        public byte[] TagValueBytes { get; set; } = "eu-west-1"u8.ToArray();
        public string AssetId { get; set; } = "";
        public double Value { get; set; } = 12.5;
        public EventDecodeError DecodeError { get; set; }

        public EventBatch Build(out EventRow row)
        {
            var arena = new List<byte>();
            var batch = new EventBatch();
            var eventId = Add(arena, Encoding.UTF8.GetBytes(EventId));
            var schema = Add(arena, Encoding.UTF8.GetBytes(Schema));
            var environment = Add(arena, EnvironmentBytes);
            var tagKey = Add(arena, "region"u8.ToArray());
            var tagValue = Add(arena, TagValueBytes);
            var asset = Add(arena, Encoding.UTF8.GetBytes(AssetId));
            var name = Add(arena, "latency_ms"u8.ToArray());
            batch.Load(arena.ToArray());

            ref var r = ref batch.AddRow();
            r.EventId = eventId;
            r.TimeUnixNano = Time;
            r.SourceModule = Module;
            r.EventType = Type;
            r.PayloadKind = Kind;
            r.Severity = Severity;
            r.SchemaVersion = schema;
            r.Environment = environment;
            r.AssetId = asset;
            r.PayloadName = name;
            r.PayloadValue = Value;
            r.TagStart = batch.AddPair(tagKey, tagValue);
            r.TagCount = 1;
            r.DecodeError = DecodeError;
            row = r;
            return batch;
        }

        private static ArenaSlice Add(List<byte> arena, byte[] bytes)
        {
            var slice = new ArenaSlice(arena.Count, bytes.Length);
            arena.AddRange(bytes);
            return slice;
        }
    }
}
