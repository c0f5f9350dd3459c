using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class QueryTimeRangeTests
{
    private static QuerySpec Range(string? start, string? end, string? bucket = null) =>
        Spec() with { TimeRange = new TimeRangeSpec { Start = start, End = end }, TimeBucket = bucket };

    private static QuerySpec Relative(string relative, string? bucket = null) =>
        Spec() with { TimeRange = new TimeRangeSpec { Relative = relative }, TimeBucket = bucket };

    [Theory]
    [InlineData(null, 0, "2026-11-23T10:17:00Z", "2026-11-23T13:03:00Z")]
    [InlineData("1m", 60, "2026-11-23T10:17:00Z", "2026-11-23T13:03:00Z")]
    [InlineData("5m", 300, "2026-11-23T10:15:00Z", "2026-11-23T13:05:00Z")]
    [InlineData("15m", 900, "2026-11-23T10:15:00Z", "2026-11-23T13:15:00Z")]
    [InlineData("1h", 3600, "2026-11-23T10:00:00Z", "2026-11-23T14:00:00Z")]
    [InlineData("1d", 86400, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z")]
    [InlineData("1H", 3600, "2026-11-23T10:00:00Z", "2026-11-23T14:00:00Z")]
    public void Bucket_AlignsStartDownAndEndUp(string? bucket, long seconds, string start, string end)
    {
        var query = Valid(Range("2026-11-23T10:17:23.5Z", "2026-11-23T13:02:01Z", bucket));

        Assert.Equal(seconds, query.BucketSeconds);
        Assert.Equal(Nanos(start), query.StartUnixNano);
        Assert.Equal(Nanos(end), query.EndUnixNano);
    }

    [Theory]
    [InlineData("1m")]
    [InlineData("5m")]
    [InlineData("15m")]
    [InlineData("1h")]
    [InlineData("1d")]
    public void Bucket_AlignedRange_IsUnchanged(string bucket)
    {
        var query = Valid(Range("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", bucket));

        Assert.Equal(Nanos("2026-11-23T00:00:00Z"), query.StartUnixNano);
        Assert.Equal(Nanos("2026-11-24T00:00:00Z"), query.EndUnixNano);
    }

    [Fact]
    public void DayBuckets_AreUtcDays_WhateverTheInputOffset()
    {
        var query = Valid(Range("2026-11-23T02:00:00+05:30", "2026-11-23T23:00:00-08:00", "1d"));

        // 2026-11-22T20:30Z .. 2026-11-24T07:00Z
        Assert.Equal(Nanos("2026-11-22T00:00:00Z"), query.StartUnixNano);
        Assert.Equal(Nanos("2026-11-25T00:00:00Z"), query.EndUnixNano);
    }

    [Theory]
    [InlineData("1m")]
    [InlineData("1h")]
    [InlineData("1d")]
    [InlineData(null)]
    public void TimeZones_SameInstantInAnyOffset_GivesSameQueryAndKey(string? bucket)
    {
        var utc = Valid(Range("2026-11-23T00:00:00Z", "2026-11-24T06:00:00Z", bucket));
        var india = Valid(Range("2026-11-23T05:30:00+05:30", "2026-11-24T11:30:00+0530", bucket));
        var pacific = Valid(Range("2026-11-22T16:00:00-08:00", "2026-11-23T22:00:00-08", bucket));
        var lower = Valid(Range("2026-11-23t00:00:00z", "2026-11-24 06:00:00Z", bucket));
        var nanos = Valid(Range(Nanos("2026-11-23T00:00:00Z").ToString(System.Globalization.CultureInfo.InvariantCulture), "1795500000000000000", bucket));

        foreach (var other in new[] { india, pacific, lower, nanos })
        {
            Assert.Equal(utc.StartUnixNano, other.StartUnixNano);
            Assert.Equal(utc.EndUnixNano, other.EndUnixNano);
            Assert.Equal(utc.NormalizedKey, other.NormalizedKey);
        }

        Assert.Equal(Nanos("2026-11-23T00:00:00Z"), utc.StartUnixNano);
    }

    [Fact]
    public void FractionalSeconds_KeepNanoseconds_BeforeAlignment()
    {
        // Different sub-second instants in one minute align to the same minute.
        var a = Valid(Range("2026-11-23T00:00:59.999999999Z", "2026-11-23T01:00:00.000000001Z"));

        Assert.Equal(Nanos("2026-11-23T00:00:00Z"), a.StartUnixNano);
        Assert.Equal(Nanos("2026-11-23T01:01:00Z"), a.EndUnixNano);
    }

    [Theory]
    [InlineData("last 90s", 90L)]
    [InlineData("last 15m", 15L * 60)]
    [InlineData("last 24h", 24L * 3600)]
    [InlineData("last 7d", 7L * 86400)]
    [InlineData("last 2w", 14L * 86400)]
    [InlineData("LAST 24H", 24L * 3600)]
    [InlineData("  last   24h ", 24L * 3600)]
    public void Relative_EachUnit_EndsNowAndAlignsToTheMinute(string relative, long seconds)
    {
        var query = Valid(Relative(relative));

        var now = Nanos(Now);
        var minute = 60_000_000_000L;
        var start = now - (seconds * 1_000_000_000L);
        Assert.Equal(start - (start % minute), query.StartUnixNano);
        Assert.Equal(now - (now % minute) + minute, query.EndUnixNano);
    }

    [Fact]
    public void Relative_WithHourBuckets_AlignsToHours()
    {
        var query = Valid(Relative("last 24h", "1h"));

        Assert.Equal(Nanos("2026-11-23T10:00:00Z"), query.StartUnixNano);
        Assert.Equal(Nanos("2026-11-24T11:00:00Z"), query.EndUnixNano);
    }

    [Fact]
    public void Relative_Last7dAt1m_FitsThePointLimit()
    {
        Assert.Equal(60, Valid(Relative("last 7d", "1m")).BucketSeconds);
    }

    [Fact]
    public void Relative_SameBucket_GivesSameKey_NextBucket_Differs()
    {
        var a = QueryValidator.Validate(Relative("last 24h", "1h"), Now, QueryLimits.Default, Dimensions).Value!;
        var b = QueryValidator.Validate(Relative("last 24h", "1h"), Now.AddMinutes(30), QueryLimits.Default, Dimensions).Value!;
        var c = QueryValidator.Validate(Relative("last 24h", "1h"), Now.AddMinutes(50), QueryLimits.Default, Dimensions).Value!;

        Assert.Equal(a.NormalizedKey, b.NormalizedKey);
        Assert.NotEqual(a.NormalizedKey, c.NormalizedKey);
    }

    [Theory]
    [InlineData("last 24")]
    [InlineData("last h")]
    [InlineData("past 24h")]
    [InlineData("24h")]
    [InlineData("last 0h")]
    [InlineData("last -1h")]
    [InlineData("last 1.5h")]
    [InlineData("last 24y")]
    [InlineData("last24h")]
    [InlineData("yesterday")]
    public void Relative_NotUnderstood_ShowsTheForm(string relative)
    {
        var error = Error(Relative(relative));

        Assert.Equal("time_range.relative", error.Field);
        Assert.Contains("write last N followed by s, m, h, d or w, e.g. 'last 24h'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("last 401d")]
    [InlineData("last 58w")]
    [InlineData("last 999999999999w")]
    public void Relative_BeyondMaxRange_IsRefused(string relative)
    {
        var error = Error(Relative(relative));

        Assert.Equal("time_range.relative", error.Field);
        Assert.Contains("spans more than the 400 days limit; use a shorter range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeAndAbsolute_Together_AreRefused()
    {
        var error = Error(Spec() with { TimeRange = new TimeRangeSpec { Relative = "last 1h", Start = "2026-11-23T00:00:00Z" } });

        Assert.Equal("time_range", error.Field);
        Assert.Contains("either relative or start and end, not both", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-24T00:00:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("2026-11-24T00:00:00Z", "2026-11-24T00:00:00Z")]
    [InlineData("2026-11-24T02:00:00+02:00", "2026-11-24T00:00:00Z")]
    public void StartNotBeforeEnd_IsRefused(string start, string end)
    {
        var error = Error(Range(start, end));

        Assert.Equal("time_range", error.Field);
        Assert.Contains("is not before end", error.Message, StringComparison.Ordinal);
        Assert.Contains("give an end later than the start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Span_Of400Days_IsAccepted_401_IsRefused()
    {
        Valid(Range("2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z"));

        var error = Error(Range("2025-01-01T00:00:00Z", "2026-02-06T00:00:00Z"));

        Assert.Equal("time_range", error.Field);
        Assert.Equal("the time range spans 401 days, above the 400 days limit; use a shorter range", error.Message);
    }

    [Fact]
    public void Span_AboveConfiguredMaxRange_IsRefused()
    {
        var error = Error(Range("2026-11-23T00:00:00Z", "2026-11-24T12:00:00Z"), QueryLimits.Default with { MaxRange = TimeSpan.FromDays(1) });

        Assert.Equal("the time range spans 1 day 12 hours, above the 1 day limit; use a shorter range", error.Message);
    }

    [Fact]
    public void Points_AboveLimit_SaysUseLargerBucketOrShorterRange()
    {
        var error = Error(Range("2026-08-01T00:00:00Z", "2026-10-30T00:00:00Z", "1m"));

        Assert.Equal("time_range", error.Field);
        Assert.Equal("the time range spans 90 days at 1m buckets = 129,600 points per series, above the 10,080 limit; use a larger time_bucket or a shorter range", error.Message);
    }

    [Theory]
    [InlineData("2026-11-17T00:00:00Z", "2026-11-24T00:00:00Z", "1m", true)]
    [InlineData("2026-11-17T00:00:00Z", "2026-11-24T00:01:00Z", "1m", false)]
    [InlineData("2026-11-17T00:00:00Z", "2026-11-24T00:00:00.000000001Z", "1m", false)]
    [InlineData("2026-01-01T00:00:00Z", "2026-02-05T00:00:00Z", "5m", true)]
    [InlineData("2026-01-01T00:00:00Z", "2026-02-06T00:00:00Z", "5m", false)]
    [InlineData("2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z", "1h", true)]
    [InlineData("2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z", "1d", true)]
    public void Points_AtTheLimit_AreAccepted(string start, string end, string bucket, bool valid)
    {
        Assert.Equal(valid, Validate(Range(start, end, bucket)).IsValid);
    }

    [Fact]
    public void Points_ConfiguredLimit_Applies()
    {
        var error = Error(Range("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", "1h"), QueryLimits.Default with { MaxPointsPerSeries = 12 });

        Assert.Contains("= 24 points per series, above the 12 limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoBucket_HasNoPointLimit()
    {
        Assert.Equal(0, Valid(Range("2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z")).BucketSeconds);
    }

    [Theory]
    [InlineData("2m")]
    [InlineData("60s")]
    [InlineData("1w")]
    [InlineData("hourly")]
    public void UnsupportedBucket_ListsTheSupportedOnes(string bucket)
    {
        var error = Error(Range("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", bucket));

        Assert.Equal("aggregation.time_bucket", error.Field);
        Assert.StartsWith($"aggregation.time_bucket '{bucket}' is not supported; use one of 1m, 5m, 15m, 1h, 1d", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-23T00:00:00", "has no UTC offset; add Z or ±hh:mm")]
    [InlineData("2026-11-23", "has no UTC offset")]
    [InlineData("2026-02-30T00:00:00Z", "is not a time; give an RFC 3339 time with an offset")]
    [InlineData("2026-11-23T24:00:00Z", "is not a time")]
    [InlineData("2026-11-23T00:00:00+25:00", "is not a time")]
    [InlineData("23/11/2026", "is not a time")]
    [InlineData("yesterday", "is not a time")]
    [InlineData("1969-12-31T23:59:59Z", "is outside 1970–2199")]
    [InlineData("2200-01-01T00:00:01Z", "is outside 1970–2199")]
    [InlineData("-1", "is outside 1970–2199")]
    [InlineData("99999999999999999999999", "is outside 1970–2199")]
    public void BadStart_SaysWhatToWrite(string start, string message)
    {
        var error = Error(Range(start, "2026-11-24T00:00:00Z"));

        Assert.Equal("time_range.start", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEnd_IsRefused()
    {
        var error = Error(Range("2026-11-23T00:00:00Z", null));

        Assert.Equal("time_range.end", error.Field);
        Assert.Contains("time_range.end is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadStartAndEnd_AreBothReported()
    {
        var result = Validate(Range("nope", "2026-11-24T00:00:00"));

        Assert.Equal(["time_range.start", "time_range.end"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void MissingTimeRange_IsRequired()
    {
        foreach (var spec in new[] { Spec() with { TimeRange = null }, Spec() with { TimeRange = new TimeRangeSpec { Start = "", Relative = "" } } })
        {
            var error = Error(spec);

            Assert.Equal("time_range", error.Field);
            Assert.Contains("time_range is required", error.Message, StringComparison.Ordinal);
            Assert.Contains("last 24h", error.Message, StringComparison.Ordinal);
        }
    }
}
