using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Query;

/// <summary>The query scenario (<see cref="QueryScenario"/>) on each store: the same answers — the exact ones — on all three.</summary>
[Collection(DurabilityCollection.Name)]
public sealed class QueryApiTests(ITestOutputHelper output)
{
    [Fact]
    public Task Embedded_AnswersMatchExactOnEveryPath() => QueryScenario.RunAsync(output, []);

    [Fact]
    public async Task Postgres_AnswersMatchExactOnEveryPath()
    {
        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_query");
        await QueryScenario.RunAsync(output, ["--Hub:Storage:Kind=postgres", $"--Hub:Postgres:ConnectionString={db}"]);
    }

    [Fact]
    public async Task ClickHouse_AnswersMatchExactOnEveryPath()
    {
        using var clickhouse = ClickHouseServer.Start();
        await QueryScenario.RunAsync(output, ["--Hub:Storage:Kind=clickhouse", $"--Hub:ClickHouse:Url={clickhouse.HttpUrl}", "--Hub:ClickHouse:Database=hub_query"]);
    }
}
