using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonTimestampTests
{
    // 2026-11-24T09:00:00Z
    private const ulong Base = 1_795_510_800UL * 1_000_000_000UL;

    public static TheoryData<string, ulong> Times => new()
    {
        { "\"2026-11-24T09:00:00Z\"", Base },
        { "\"2026-11-24t09:00:00z\"", Base },
        { "\"2026-11-24 09:00:00Z\"", Base },
        { "\"2026-11-24T10:00:00.123+01:00\"", Base + 123_000_000 },
        { "\"2026-11-24T10:00:00.123+0100\"", Base + 123_000_000 },
        { "\"2026-11-24T10:00:00+01\"", Base },
        { "\"2026-11-24T04:30:00-04:30\"", Base },
        { "\"2026-11-24T09:00Z\"", Base },
        { "\"2026-11-24T09:00:00.1234567Z\"", Base + 123_456_700 },
        { "\"2026-11-24T09:00:00.123456789Z\"", Base + 123_456_789 },
        { "\"2026-11-24T09:00:00.1234567891234Z\"", Base + 123_456_789 },
        { "\"2026-11-24T09:00:00,5Z\"", Base + 500_000_000 },
        { "\"2026-11-25T00:30:00+15:30\"", Base },
        { "\"1970-01-01T00:00:00.000000001Z\"", 1 },
        { "1795510800", Base },
        { "1795510800.25", Base + 250_000_000 },
        { "1795510800.123456789", Base + 123_456_789 },
        { "1.7955108e9", Base },
        { "1795510800123", Base + 123_000_000 },
        { "1795510800123.456", Base + 123_456_000 },
        { "\"1795510800\"", Base },
        { "\"1795510800123\"", Base + 123_000_000 },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Timestamp_EveryForm_IsUtcUnixNanoseconds(string value, ulong expected)
    {
        var e = ParseEvent($$"""{"timestamp":{{value}}}""");
        Assert.Equal(expected, e.TimeUnixNano);
    }

    [Theory]
    [InlineData("1795510800123456789", Base + 123_456_789)]
    [InlineData("\"1795510800123456789\"", Base + 123_456_789)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void TimeUnixNano_IntegerOrNumericString_IsTakenAsIs(string value, ulong expected)
    {
        Assert.Equal(expected, ParseEvent($$"""{"time_unix_nano":{{value}}}""").TimeUnixNano);
        Assert.Equal(expected, ParseEvent($$"""{"timeUnixNano":{{value}}}""").TimeUnixNano);
    }

    [Theory]
    [InlineData("\"2026-11-24T09:00:00\"", "no UTC offset")]
    [InlineData("\"2026-11-24\"", "no UTC offset")]
    [InlineData("\"2026-02-30T09:00:00Z\"", "not a valid date")]
    [InlineData("\"2026-11-24T24:00:00Z\"", "not a valid date")]
    [InlineData("\"2026-11-24T09:00:60Z\"", "not a valid date")]
    [InlineData("\"2026-11-24T09:00:00+25:00\"", "not a valid date")]
    [InlineData("\"2026-11-24T09:00:00.Z\"", "not a valid date")]
    [InlineData("\"2026-11-24T09:00:00Z trailing\"", "not a valid date")]
    [InlineData("\"yesterday\"", "expected an ISO-8601 time")]
    [InlineData("\"\"", "expected an ISO-8601 time")]
    [InlineData("\"1969-12-31T23:59:59Z\"", "outside 1970")]
    [InlineData("\"9999-12-31T23:59:59Z\"", "outside 1970")]
    [InlineData("-1", "outside 1970")]
    [InlineData("1e400", "outside 1970")]
    [InlineData("1e30", "outside 1970")]
    [InlineData("true", "found true")]
    [InlineData("{}", "found an object")]
    [InlineData("[1]", "found an array")]
    public void Timestamp_Unusable_IsAFieldError(string value, string message)
    {
        var error = SingleError($$"""[{"event_id":"a"},{"timestamp":{{value}}}]""", "events[1].timestamp", message);
        Assert.Equal(1, error.EventIndex);
    }

    [Theory]
    [InlineData("-5", "non-negative integer")]
    [InlineData("1.5", "non-negative integer")]
    [InlineData("18446744073709551616", "non-negative integer")]
    [InlineData("\"soon\"", "non-negative integer")]
    [InlineData("\"2026-11-24T09:00:00Z\"", "non-negative integer")]
    public void TimeUnixNano_NotAnInteger_IsAFieldError(string value, string message)
    {
        SingleError($$"""{"time_unix_nano":{{value}}}""", "events[0].time_unix_nano", message);
    }

    [Fact]
    public void Timestamp_AndTimeUnixNanoBoth_IsAnError()
    {
        SingleError("""{"timestamp":"2026-11-24T09:00:00Z","time_unix_nano":1}""", "events[0].time_unix_nano", "one of timestamp and time_unix_nano");
    }
}
