using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Storage.Stores;
using static AnalyticsHub.Storage.Tests.Query.QueryTestKit;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>SearchAsync on the three real stores holding <see cref="QueryScenario"/>, against <see cref="QueryReference"/>.</summary>
[Collection(QueryStoresCollection.Name)]
public sealed class EventSearchTests(QueryStoresFixture stores)
{
    private static readonly Dictionary<string, ScenarioEvent> ById = QueryScenario.Events.ToDictionary(e => e.Id + "/" + e.Tenant);

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_NoFilters_EveryEventOfTheTenantAndRangeNewestFirst(string store)
    {
        var query = Search();
        var expected = QueryReference.Search(query, stores.Dimensions);

        var page = await stores.Store(store).SearchAsync(query, stores.Dimensions, CancellationToken.None);

        Assert.True(expected.Count is > 600 and < 1000, $"scenario size {expected.Count}");
        Assert.Equal(expected.Select(e => e.Id), page.Events.Select(e => e.EventId));
        Assert.Null(page.Next);
        Assert.Contains(page.Events, e => e.TimeUnixNano == QueryScenario.Start);
        Assert.Contains(page.Events, e => e.TimeNs() == QueryScenario.End - 1);
        Assert.Contains(expected.GroupBy(e => e.TimeNs), g => g.Count() > 1); // ties broken by id
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_Rows_CarryEveryStoredColumn(string store)
    {
        var page = await stores.Store(store).SearchAsync(Search(), stores.Dimensions, CancellationToken.None);

        foreach (var found in page.Events)
        {
            var e = ById[found.EventId + "/" + found.TenantId];
            Assert.Equal(e.TimeNs, found.TimeUnixNano);
            Assert.Equal(e.TimeNs + 1_000_123, found.ReceivedUnixNano);
            Assert.Equal((e.SourceModule, e.EventType, e.Severity, e.PayloadKind), (found.SourceModule, found.EventType, found.Severity, found.PayloadKind));
            Assert.Equal((e.Name, e.Unit, e.Environment, e.AssetId, e.CorrelationId, e.ParentEventId, "1.0.0"),
                (found.Name, found.Unit, found.Environment, found.AssetId, found.CorrelationId, found.ParentEventId, found.SchemaVersion));
            Assert.Equal((e.InputTokens, e.OutputTokens), (found.InputTokens, found.OutputTokens));
            Assert.True(e.Value.Equals(found.Value), $"{store} value {found.Value} of {e.Id}, expected {e.Value}");
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(e.TagsJson), System.Text.Json.Nodes.JsonNode.Parse(found.TagsJson)), found.TagsJson);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(e.PayloadJson), System.Text.Json.Nodes.JsonNode.Parse(found.PayloadJson)), found.PayloadJson);
        }
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_Limit_FirstPageWithCursorOfItsLastRow(string store)
    {
        var expected = QueryReference.Search(Search(), stores.Dimensions);

        var page = await stores.Store(store).SearchAsync(Search(limit: 10), stores.Dimensions, CancellationToken.None);

        Assert.Equal(expected.Take(10).Select(e => e.Id), page.Events.Select(e => e.EventId));
        Assert.Equal(new SearchCursor(expected[9].TimeNs, expected[9].Id), page.Next);
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_CursorPaging_WalksEveryRowExactlyOnceInOrder(string store)
    {
        var filter = Filter(EnvironmentField, FilterOperator.Neq, "staging");
        var expected = QueryReference.Search(Search(filters: filter), stores.Dimensions);

        var walked = await WalkAsync(stores.Store(store), Search(limit: 7, filter));

        Assert.Equal(expected.Select(e => e.Id), walked.Select(e => e.EventId));
        Assert.Equal(walked.Count, walked.Select(e => e.EventId).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_OffsetPaging_SamePagesAsTheCursor(string store)
    {
        var filter = Filter(SeriesTag("model"), FilterOperator.Eq, "claude-3");
        var expected = QueryReference.Search(Search(filters: filter), stores.Dimensions);
        var rows = new List<string>();
        for (int offset = 0; ; offset += 25)
        {
            var page = await stores.Store(store).SearchAsync(Search(limit: 25, filter) with { Offset = offset }, stores.Dimensions, CancellationToken.None);
            rows.AddRange(page.Events.Select(e => e.EventId));
            if (page.Next is null)
            {
                break;
            }

            Assert.Equal(25, page.Events.Count);
        }

        Assert.True(expected.Count > 50);
        Assert.Equal(expected.Select(e => e.Id), rows);
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_EveryOperatorOnEveryFieldKind_MatchesTheReference(string store)
    {
        var failures = new List<string>();
        foreach (var (filter, expectSome) in FilterCases())
        {
            var query = Search(filters: filter);
            var expected = QueryReference.Search(query, stores.Dimensions).Select(e => e.Id).ToList();
            var actual = (await stores.Store(store).SearchAsync(query, stores.Dimensions, CancellationToken.None)).Events.Select(e => e.EventId).ToList();
            if (!expected.SequenceEqual(actual))
            {
                failures.Add($"{Describe(filter)}: expected {expected.Count} rows, got {actual.Count} (missing {string.Join(",", expected.Except(actual).Take(3))}; extra {string.Join(",", actual.Except(expected).Take(3))})");
            }

            if (expectSome && (expected.Count == 0 || expected.Count == QueryReference.Search(Search(), stores.Dimensions).Count))
            {
                failures.Add($"{Describe(filter)}: the case is trivial ({expected.Count} rows) — the scenario no longer exercises it");
            }
        }

        Assert.True(failures.Count == 0, store + ":\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_MinSeverityAndCorrelationId_Narrow(string store)
    {
        var bySeverity = Search() with { MinSeverity = Severity.Error };
        var byTrace = Search() with { CorrelationId = "trace-5" };
        var both = Search(filters: Filter(Tag("user_tier"), FilterOperator.Neq, "gold")) with { CorrelationId = "trace-5", MinSeverity = Severity.Info };

        foreach (var query in new[] { bySeverity, byTrace, both })
        {
            var expected = QueryReference.Search(query, stores.Dimensions);
            var page = await stores.Store(store).SearchAsync(query, stores.Dimensions, CancellationToken.None);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(e => e.Id), page.Events.Select(e => e.EventId));
        }

        Assert.All((await stores.Store(store).SearchAsync(bySeverity, stores.Dimensions, CancellationToken.None)).Events, e => Assert.True(e.Severity >= Severity.Error));
        Assert.All((await stores.Store(store).SearchAsync(byTrace, stores.Dimensions, CancellationToken.None)).Events, e => Assert.Equal("trace-5", e.CorrelationId));
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_ScanBound_ShortPagesWithCursorsStillWalkEverything(string store)
    {
        // 1 in ~20 rows matches; at most 30 examined per page: pages come back short or empty, with a cursor.
        var filter = Filter(Payload("threat_type"), FilterOperator.Eq, "prompt_injection");
        var expected = QueryReference.Search(Search(filters: filter), stores.Dimensions);
        int pages = 0, shortPages = 0;
        var walked = new List<SearchedEvent>();
        await stores.WithLimitsAsync(new EventQueryLimits { MaxScanRows = 30 }, async () =>
        {
            var query = Search(limit: 5, filter);
            while (true)
            {
                var page = await stores.Store(store).SearchAsync(query, stores.Dimensions, CancellationToken.None);
                pages++;
                walked.AddRange(page.Events);
                if (page.Next is null)
                {
                    break;
                }

                shortPages += page.Events.Count < 5 ? 1 : 0;
                query = query with { After = page.Next };
            }
        });

        Assert.Equal(expected.Select(e => e.Id), walked.Select(e => e.EventId));
        Assert.True(shortPages > 5, $"{shortPages} short pages of {pages}");
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_OtherTenantAndRangeEdges_NeverLeak(string store)
    {
        var other = Search() with { TenantId = QueryScenario.OtherTenant };
        var narrow = Search() with { StartUnixNano = QueryScenario.Start + 1, EndUnixNano = QueryScenario.End - 1 };

        var otherPage = await stores.Store(store).SearchAsync(other, stores.Dimensions, CancellationToken.None);
        var narrowPage = await stores.Store(store).SearchAsync(narrow, stores.Dimensions, CancellationToken.None);

        Assert.Equal(40, otherPage.Events.Count);
        Assert.All(otherPage.Events, e => Assert.Equal(QueryScenario.OtherTenant, e.TenantId));
        Assert.Equal(QueryReference.Search(narrow, stores.Dimensions).Select(e => e.Id), narrowPage.Events.Select(e => e.EventId));
        Assert.DoesNotContain(narrowPage.Events, e => e.TimeUnixNano == QueryScenario.Start || e.TimeUnixNano == QueryScenario.End - 1);
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Search_NulOrMalformedCursor_Rejected(string store)
    {
        var nul = Search(filters: Filter(Tag("a\0b"), FilterOperator.Eq, "x"));
        var nulValue = Search(filters: Filter(EnvironmentField, FilterOperator.Eq, "prod\0uction"));
        var cursor = Search() with { After = new SearchCursor(QueryScenario.Start, "'; DROP TABLE events; --") };

        foreach (var query in new[] { nul, nulValue, cursor })
        {
            var e = await Assert.ThrowsAsync<QueryRejectedException>(() => stores.Store(store).SearchAsync(query, stores.Dimensions, CancellationToken.None));
            Assert.Equal(QueryRejection.InvalidValue, e.Reason);
        }
    }

    internal static IEnumerable<(QueryFilter Filter, bool ExpectSome)> FilterCases()
    {
        var fields = new (QueryField Field, string[] Values)[]
        {
            (EnvironmentField, ["production", "staging", "prod", "", "zzz"]),
            (AssetIdField, ["asset-3", "asset-", "asset-9"]),
            (CorrelationIdField, ["trace-10", "trace-1"]),
            (ParentEventIdField, ["parent-3", "parent-10"]),
            (SeriesTag("model"), ["claude-3", "gpt-4o", "llama", "l"]),
            (SeriesTag("region"), ["eu-west-1", "us", "ap-south-1"]),
            (SeriesTag("team"), ["search", "chat"]),
            (Tag("user_tier"), ["gold", "silver", "g"]),
            (Tag("label"), [.. QueryScenario.AwkwardTexts, "ü", "😀", "\\", "\"", "{"]),
            (Tag("latency_bucket"), ["50", "100", "1e2", "abc"]),
            (Tag("we\"ird key"), ["odd"]),
            (Tag("ключ"), ["значение"]),
            (Dimension("endpoint"), ["/v1/chat", "/v1/", "embed"]),
            (Dimension("model_id"), ["claude-3", "attr-claude-3", "attr-"]),
            (Dimension("note"), [.. QueryScenario.AwkwardTexts]),
            (Payload("metric_value"), ["100", "250.5", "abc"]),
            (Payload("amount"), ["0.05"]),
            (Payload("input_tokens"), ["2500", "0"]),
            (Payload("score"), ["0.5"]),
            (Payload("decision"), ["deny", "allow", "d"]),
            (Payload("version"), ["v1"]),
            (Payload("model_id"), ["claude-3", "attr-claude-3"]),
            (Payload("passed"), ["true", "false"]),
            (Payload("evaluation_ms"), ["2.5", "3"]),
            (Payload("description"), ["ignore", "{instructions}", "\"previous\""]),
            (Payload("source_ip"), ["10.0.0.16", "10.0.0.1"]),
            (Payload("affected_resources"), ["r1"]),
            (Payload("endpoint"), ["/v1/chat"]),
            (Payload("policy_id"), ["gov-1", "pii-filter"]),
            (Payload("json"), ["{\"a\":1}"]),
            (SourceModuleField, ["llm-sentinel", "llm-costops", "3", "cost", "llm-policy-engine"]),
            (EventTypeField, ["security", "cost", "metadata", "2", "m"]),
            (SeverityField, ["error", "warning", "info", "3", "bogus"]),
        };
        foreach (var (field, values) in fields)
        {
            foreach (var op in Enum.GetValues<FilterOperator>())
            {
                foreach (var value in values)
                {
                    yield return (Filter(field, op, op == FilterOperator.In ? [value, values[0]] : [value]), false);
                }
            }
        }

        // Anchors: cases that must select some but not all rows, so a store returning nothing (or everything) fails.
        yield return (Filter(EnvironmentField, FilterOperator.Eq, "staging"), true);
        yield return (Filter(EnvironmentField, FilterOperator.Neq, "staging"), true);
        yield return (Filter(SeriesTag("model"), FilterOperator.Eq, "llama-3"), true);
        yield return (Filter(SeriesTag("team"), FilterOperator.Eq, "chat"), true);
        yield return (Filter(Tag("label"), FilterOperator.Eq, "ünïcödé 😀"), true);
        yield return (Filter(Tag("label"), FilterOperator.Eq, "new\nline"), true);
        yield return (Filter(Tag("label"), FilterOperator.Eq, @"ends\"), true);
        yield return (Filter(Tag("label"), FilterOperator.Contains, "\\"), true);
        yield return (Filter(Tag("we\"ird key"), FilterOperator.Eq, "odd"), true);
        yield return (Filter(Tag("ключ"), FilterOperator.Eq, "значение"), true);
        yield return (Filter(Tag("latency_bucket"), FilterOperator.Gte, "100"), true);
        yield return (Filter(Tag("latency_bucket"), FilterOperator.Lt, "abc"), true);
        yield return (Filter(Dimension("note"), FilterOperator.Eq, "{brace}"), true);
        yield return (Filter(Dimension("model_id"), FilterOperator.Eq, "attr-claude-3"), true);
        yield return (Filter(Payload("model_id"), FilterOperator.Eq, "claude-3"), true);
        yield return (Filter(Payload("metric_value"), FilterOperator.Gt, "250"), true);
        yield return (Filter(Payload("metric_value"), FilterOperator.Lte, "100"), true);
        yield return (Filter(Payload("input_tokens"), FilterOperator.Gte, "2500"), true);
        yield return (Filter(Payload("passed"), FilterOperator.Eq, "true"), true);
        yield return (Filter(Payload("evaluation_ms"), FilterOperator.Eq, "2.5"), true);
        yield return (Filter(Payload("evaluation_ms"), FilterOperator.Gt, "2"), true);
        yield return (Filter(Payload("description"), FilterOperator.Contains, "{instructions}"), true);
        yield return (Filter(Payload("decision"), FilterOperator.Lt, "b"), true);
        yield return (Filter(SourceModuleField, FilterOperator.In, "llm-sentinel", "llm-costops"), true);
        yield return (Filter(EventTypeField, FilterOperator.Neq, "telemetry"), true);
        yield return (Filter(SeverityField, FilterOperator.Gte, "warning"), true);
        yield return (Filter(SeverityField, FilterOperator.Lt, "info"), true);
        yield return (Filter(CorrelationIdField, FilterOperator.Contains, "trace-1"), true);
        yield return (Filter(EventIdField, FilterOperator.Gt, "8a"), true);
        var some = QueryScenario.Events.Where(e => e.Tenant == QueryScenario.Tenant).Take(3).Select(e => e.Id).ToArray();
        yield return (Filter(EventIdField, FilterOperator.Eq, some[0].ToUpperInvariant()), true);
        yield return (Filter(EventIdField, FilterOperator.In, [.. some, "not-a-uuid"]), true);
        yield return (Filter(EventIdField, FilterOperator.Neq, some[1]), true);
        yield return (Filter(EventIdField, FilterOperator.Contains, some[2][..6]), true);
    }

    internal static async Task<List<SearchedEvent>> WalkAsync(IEventQueries store, EventSearchQuery query)
    {
        var rows = new List<SearchedEvent>();
        for (int pages = 0; pages < 10_000; pages++)
        {
            var page = await store.SearchAsync(query, new Core.Rollups.SeriesDimensions(["team"]), CancellationToken.None);
            rows.AddRange(page.Events);
            if (page.Next is null)
            {
                return rows;
            }

            Assert.Equal(query.Limit, page.Events.Count);
            Assert.Equal(new SearchCursor(page.Events[^1].TimeUnixNano, page.Events[^1].EventId), page.Next);
            query = query with { After = page.Next };
        }

        throw new InvalidOperationException("paging never ended");
    }
}

internal static class SearchedEventExtensions
{
    public static long TimeNs(this SearchedEvent e) => e.TimeUnixNano;
}
