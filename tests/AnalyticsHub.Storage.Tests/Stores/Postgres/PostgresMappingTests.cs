using System.Net.Sockets;
using System.Text;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Postgres;
using Npgsql;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

/// <summary>The store's pure parts, no server: time and id conversion, partition naming, failure classes.</summary>
public sealed class PostgresMappingTests
{
    [Theory]
    [InlineData(0L, -946_684_800_000_000L, 0)]
    [InlineData(-1L, -946_684_800_000_001L, 999)]
    [InlineData(1_500L, -946_684_799_999_999L, 500)]
    [InlineData(946_684_800_000_000_123L, 0L, 123)]
    [InlineData(1_795_521_600_123_456_789L, 848_836_800_123_456L, 789)]
    public void SplitUnixNanos_GivesPostgresMicrosAndTheNanosBelow(long unixNanos, long postgresMicros, short nanos)
    {
        PostgresEventStore.SplitUnixNanos(unixNanos, out long micros, out short ns);

        Assert.Equal(postgresMicros, micros);
        Assert.Equal(nanos, ns);
        Assert.Equal(unixNanos, (micros + PostgresPartitions.PostgresEpochUnixMicros) * 1000 + ns);
    }

    [Theory]
    [InlineData(64L, 0)]
    [InlineData(123_456_789L, 4095)]
    public void ToGuid_PrintsTheSameUuidTextAsTheEventId(long address, int index)
    {
        string id = StoredEventSamples.EventId(address, index);
        Assert.True(Core.Validation.Uuid.TryParse(Encoding.UTF8.GetBytes(id), out ulong high, out ulong low));

        Assert.Equal(id, PostgresEventStore.ToGuid(high, low).ToString());
    }

    [Fact]
    public void Partitions_AreNamedAndBoundedByTheirUtcStart()
    {
        var daily = new PostgresPartitions(TimeSpan.FromDays(1));
        long bucket = daily.BucketOf(new DateTimeOffset(2026, 11, 24, 23, 59, 59, TimeSpan.Zero));
        Assert.Equal("events_p20261124", daily.NameOf(bucket));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), daily.StartOf(bucket));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), daily.EndOf(bucket));
        Assert.Equal("events_p19691231", daily.NameOf(daily.BucketOfUnixMicros(-1)));
        Assert.Equal("'2026-11-24 00:00:00.000000+00'", PostgresPartitions.Literal(daily.StartOf(bucket)));

        var sixHours = new PostgresPartitions(TimeSpan.FromHours(6));
        Assert.Equal("events_p20261124_18", sixHours.NameOf(sixHours.BucketOf(new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero))));
    }

    [Fact]
    public void Partitions_ResetCoversOnlyBucketsWhollyInsideTheRanges()
    {
        var daily = new PostgresPartitions(TimeSpan.FromDays(1));
        var day = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        daily.Reset([(day, day.AddDays(2)), (day.AddDays(5).AddHours(1), day.AddDays(6).AddHours(1))]);

        Assert.True(daily.IsCovered(daily.BucketOf(day)));
        Assert.True(daily.IsCovered(daily.BucketOf(day.AddDays(1))));
        Assert.False(daily.IsCovered(daily.BucketOf(day.AddDays(2))));
        Assert.False(daily.IsCovered(daily.BucketOf(day.AddDays(5))));
        Assert.Equal(2, daily.CoveredCount);
    }

    [Theory]
    [InlineData("22P02")] // invalid JSON
    [InlineData("22021")] // NUL / invalid UTF-8
    [InlineData("22003")] // numeric out of range
    [InlineData("23502")] // not null
    [InlineData("54000")] // too large
    public void WriteFailure_DataErrors_AreRejectedWithTheServersWords(string sqlState)
    {
        var pg = new PostgresException("bad value", "ERROR", "ERROR", sqlState);

        var e = Assert.IsType<StoreRejectedException>(PostgresFailures.ForWrite(pg, "db:5432/hub", "10 rows"));

        Assert.Equal(sqlState + ": bad value", e.ServerMessage);
        Assert.Contains("db:5432/hub", e.Message);
        Assert.Same(pg, e.InnerException);
    }

    [Theory]
    [InlineData("57P01")] // admin shutdown
    [InlineData("57014")] // statement timeout
    [InlineData("08006")] // connection failure
    [InlineData("53300")] // too many connections
    [InlineData("40001")] // serialization
    [InlineData("40P01")] // deadlock
    [InlineData("55P03")] // lock timeout
    [InlineData("42P01")] // table dropped under us: repairable, the rows are fine
    [InlineData("42501")] // privilege revoked: likewise
    public void WriteFailure_OtherErrors_AreTransient(string sqlState)
    {
        var pg = new PostgresException("went away", "FATAL", "FATAL", sqlState);

        Assert.IsType<StoreUnavailableException>(PostgresFailures.ForWrite(pg, "db:5432/hub", "10 rows"));
    }

    [Theory]
    [InlineData("42501", true)]
    [InlineData("3D000", true)]
    [InlineData("28P01", true)]
    [InlineData("57P03", false)]
    [InlineData("08001", false)]
    public void SchemaFailure_RefusalsAreRejected_OutagesTransient(string sqlState, bool rejected)
    {
        var e = PostgresFailures.ForSchema(new PostgresException("no", "FATAL", "FATAL", sqlState), "db:5432/hub", "the schema");

        Assert.Equal(rejected ? typeof(StoreRejectedException) : typeof(StoreUnavailableException), e.GetType());
    }

    [Fact]
    public void ConnectionFailure_IsUnreachableWithTheSocketError()
    {
        var inner = new SocketException((int)SocketError.ConnectionRefused);
        var npgsql = new NpgsqlException("Failed to connect to 127.0.0.1:1", inner);

        var e = Assert.IsType<StoreUnavailableException>(PostgresFailures.ForWrite(npgsql, "127.0.0.1:1/hub", "10 rows"));

        Assert.Contains("127.0.0.1:1/hub is unreachable", e.Message);
        Assert.Contains(inner.Message, e.Message);
    }

    [Fact]
    public void Options_AreValidated()
    {
        var ok = new PostgresStoreOptions { ConnectionString = "Host=x", NodeId = "n" };
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresEventStore(ok with { PartitionInterval = TimeSpan.FromMinutes(90) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresEventStore(ok with { RetentionDays = 0 }));
        Assert.Throws<ArgumentException>(() => new PostgresEventStore(ok with { NodeId = " " }));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero), ok.RetentionCutoff(StoredEventSamples.BaseTime));
        Assert.Null((ok with { RetentionDays = null }).RetentionCutoff(StoredEventSamples.BaseTime));
    }
}
