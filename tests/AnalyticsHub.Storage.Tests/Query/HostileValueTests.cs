using System.Globalization;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;
using static AnalyticsHub.Storage.Tests.Query.QueryTestKit;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>
/// Values meant to break out of SQL text, in every place a query carries user text (filter values, tag
/// and payload keys, tenant, correlation id, metric): no rows, the same answers as the reference, and
/// the stores unharmed afterwards.
/// </summary>
[Collection(QueryStoresCollection.Name)]
public sealed class HostileValueTests(QueryStoresFixture stores)
{
    public static readonly string[] Hostile =
    [
        "'; DROP TABLE events; --",
        "' OR '1'='1",
        "\\' OR 1=1 --",
        "x\\",
        "\\\\'",
        "\"; DROP TABLE events; --",
        "') OR ('a'='a",
        "$1",
        "{p0:String}",
        "?1",
        "1; SELECT 1",
        "\n'\r\n--",
        "ünï'cödé 😀\\",
        "%' OR tenant_id LIKE '%",
        "$.\"a\"",
        "') FORMAT TSV --",
        "\u2028\u2029'",
    ];

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task HostileValues_MatchNothingAndLeaveTheStoreWorking(string store)
    {
        var queries = stores.Store(store);
        int before = (await queries.SearchAsync(Search(), stores.Dimensions, CancellationToken.None)).Events.Count;
        foreach (var value in Hostile)
        {
            var filters = new[]
            {
                Filter(EnvironmentField, FilterOperator.Eq, value),
                Filter(Tag(value), FilterOperator.Eq, value),
                Filter(Tag("user_tier"), FilterOperator.In, value, value + "x"),
                Filter(Dimension(value), FilterOperator.Contains, value),
                Filter(Payload(value), FilterOperator.Gt, value),
                Filter(SeriesTag(value), FilterOperator.Lte, value),
                Filter(Payload("description"), FilterOperator.Contains, value),
                Filter(EventIdField, FilterOperator.Eq, value),
                Filter(SourceModuleField, FilterOperator.Eq, value),
            };
            foreach (var filter in filters)
            {
                var page = await queries.SearchAsync(Search(filters: filter), stores.Dimensions, CancellationToken.None);
                Assert.True(page.Events.Count == 0, $"{store}: {Describe(filter)} found {page.Events.Count} rows");
                var cells = await queries.AggregateAsync(Metric(null, 3600, [AggregateFunction.Count], [Tag(value)], [filter]), stores.Dimensions, CancellationToken.None);
                Assert.Empty(cells);
            }

            // neq matches everything the reference says (every row: no row holds these values).
            var neq = Filter(Tag(value), FilterOperator.Neq, value);
            Assert.Equal(before, (await queries.SearchAsync(Search(filters: neq), stores.Dimensions, CancellationToken.None)).Events.Count);

            Assert.Empty((await queries.SearchAsync(Search() with { TenantId = value }, stores.Dimensions, CancellationToken.None)).Events);
            Assert.Empty((await queries.SearchAsync(Search() with { CorrelationId = value }, stores.Dimensions, CancellationToken.None)).Events);
            Assert.Empty(await queries.AggregateAsync(Metric(value, 0, [AggregateFunction.Count]), stores.Dimensions, CancellationToken.None));

            // A group_by on a hostile key groups everything under "".
            var grouped = await queries.AggregateAsync(Metric("latency_ms", 0, [AggregateFunction.Count], [Tag(value), Payload(value), Dimension(value)]), stores.Dimensions, CancellationToken.None);
            Assert.Equal(["", "", ""], Assert.Single(grouped).Group);
        }

        Assert.Equal(before, (await queries.SearchAsync(Search(), stores.Dimensions, CancellationToken.None)).Events.Count);
    }

    [Fact]
    public void Quote_EscapesBackslashAndQuoteOnly()
    {
        Assert.Equal("''", ClickHouseLiteral.Quote(""));
        Assert.Equal("'plain'", ClickHouseLiteral.Quote("plain"));
        Assert.Equal(@"'it\'s'", ClickHouseLiteral.Quote("it's"));
        Assert.Equal(@"'a\\b'", ClickHouseLiteral.Quote(@"a\b"));
        Assert.Equal(@"'x\\'", ClickHouseLiteral.Quote(@"x\"));
        Assert.Equal(@"'\\\''", ClickHouseLiteral.Quote(@"\'"));
        Assert.Equal(@"'\'; DROP TABLE events; --'", ClickHouseLiteral.Quote("'; DROP TABLE events; --"));
        Assert.Equal("'line\nbreak\ttab'", ClickHouseLiteral.Quote("line\nbreak\ttab"));
        Assert.Equal("'ünï 😀'", ClickHouseLiteral.Quote("ünï 😀"));
        Assert.Throws<ArgumentException>(() => ClickHouseLiteral.Quote("nul\0here"));
    }

    [Fact]
    public void Real_WritesTheShortestRoundTripForm()
    {
        Assert.Equal("0.1", ClickHouseLiteral.Real(0.1));
        Assert.Equal("-2.5", ClickHouseLiteral.Real(-2.5));
        Assert.Equal("1E-07", ClickHouseLiteral.Real(1e-7));
        Assert.Equal("0.30000000000000004", ClickHouseLiteral.Real(0.1 + 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClickHouseLiteral.Real(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClickHouseLiteral.Real(double.PositiveInfinity));
    }

    /// <summary>What the server reads back from each quoted literal is the value itself, byte for byte.</summary>
    [Fact]
    public void Quote_RealServerReadsBackEveryValueExactly()
    {
        string[] values = [.. Hostile, .. QueryScenario.AwkwardTexts, "", "'", "\\", "\\\\", "''", "\\'", "'\\", "\u0001\u007f", "\r", "😀😀", "a'b\\c'd\\\\e"];
        string sql = "SELECT arrayJoin([" + string.Join(", ", values.Select(ClickHouseLiteral.Quote)) + "]) AS v FORMAT JSONEachRow";
        string answer = stores.ClickHouseServer.Query(sql);
        var read = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("v").GetString()).ToArray();
        Assert.Equal(values, read);
    }

    /// <summary>Random strings over the characters that matter to quoting: the server's reading equals the input.</summary>
    [Fact]
    public void Quote_RandomStrings_RoundTripThroughTheServer()
    {
        var random = new Random(7);
        char[] alphabet = ['\'', '\\', '"', 'a', ' ', '\n', '\t', ';', '-', 'ü', '{', '}', '?', '$', '%'];
        var values = Enumerable.Range(0, 300)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)])]))
            .ToArray();
        string sql = "SELECT arrayJoin([" + string.Join(", ", values.Select(ClickHouseLiteral.Quote)) + "]) AS v FORMAT JSONEachRow";
        var read = stores.ClickHouseServer.Query(sql).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("v").GetString()).ToArray();
        Assert.Equal(values, read);
        Assert.Equal(QueryScenario.Events.Count.ToString(CultureInfo.InvariantCulture), stores.ClickHouseServer.Query($"SELECT count() FROM {stores.ClickHouseDatabase}.events").Trim());
    }
}
