using System.Diagnostics;
using System.Text.Json;
using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// The WAL → store drainer against a real ClickHouse server (<c>--Hub:Storage:Kind=clickhouse</c>):
/// rows the server refuses are split out down to the single refused events, which go to the
/// dead-letter log with the server's own message while everything around them is stored once and
/// the drain goes on; and exactly-once across <c>kill -9</c> mid-drain, as
/// <see cref="DrainerCrashTests"/> on the embedded store. Each test starts its own ClickHouse.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed partial class ClickHouseDrainerTests(ITestOutputHelper output)
{
    private const string PoisonMetric = "poison_metric";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static readonly string[] SmallDrains = ["--Hub:Storage:BatchRows=700", "--Hub:Storage:BatchIntervalMs=20"];

    private static string[] ClickHouseStore(ClickHouseServer server, string database) =>
        ["--Hub:Storage:Kind=clickhouse", $"--Hub:ClickHouse:Url={server.HttpUrl}", $"--Hub:ClickHouse:Database={database}"];

    private static string NewDatabase(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task RefusedRows_SplitIntoDeadLetters_WithTheServerMessage_RestStoredAndDrainerContinues()
    {
        const int EventsPerBatch = 100;
        const int BatchesBefore = 30;
        const int BatchesAfter = 20;
        int[] poisonBatches = [2, 8, 14, 20, 26]; // of the first 30: several per drain batch of 1,000 rows, and several drain batches
        int seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        var total = Stopwatch.StartNew();

        using var clickHouse = ClickHouseServer.Start();
        string db = NewDatabase("hub_refuse");
        await using var hub = HubProcess.Start([.. ClickHouseStore(clickHouse, db), "--Hub:Storage:BatchRows=1000", "--Hub:Storage:BatchIntervalMs=100"]);
        await hub.WaitUntilListeningAsync(StartTimeout);
        string Describe() => $"hub:\n{hub.Output}\nclickhouse:\n{clickHouse.LogTail(10)}";

        // The hub creates the tables; then the server is given a rule that refuses one metric name.
        HubReadiness readiness = null!;
        await Poll.UntilAsync(async () =>
        {
            await Task.Delay(50);
            readiness = await HubReadiness.GetAsync(hub);
            return readiness.Ready && await ClickHouseStoreContents.TableExistsAsync(clickHouse.HttpUrl, db, "events")
                && await ClickHouseStoreContents.TableExistsAsync(clickHouse.HttpUrl, db, "event_writes");
        }, StartTimeout, () => $"the hub did not create {db}.events or is not ready: {readiness}\n{Describe()}");
        string serverText = await AddPoisonRuleAsync(clickHouse, db);
        output.WriteLine($"ClickHouse {clickHouse.Version}: refuses name = '{PoisonMetric}' with \"{serverText}\"");

        const string ProducerId = "ch-refusal-producer";
        var stored = new List<Guid>();
        var poison = new Dictionary<Guid, ulong>(); // event id → sequence of its batch
        using (var channel = TestBatches.Channel(hub))
        {
            for (int b = 0; b < BatchesBefore; b++)
            {
                var batch = TestBatches.Batch(ProducerId, (ulong)b + 1, EventsPerBatch);
                if (poisonBatches.Contains(b))
                {
                    var victim = batch.Events[random.Next(EventsPerBatch)];
                    victim.Telemetry.MetricName = PoisonMetric;
                    poison.Add(Guid.Parse(victim.EventId), batch.Sequence);
                }

                await SendAsync(channel, batch);
                stored.AddRange(batch.Events.Select(e => Guid.Parse(e.EventId)).Where(id => !poison.ContainsKey(id)));
            }

            // The refusals are dead-lettered and every other event of those drain batches is stored.
            List<JsonElement> letters = [];
            long rows = 0;
            await Poll.UntilAsync(async () =>
            {
                await Task.Delay(50);
                letters = await StoreRejectedLettersAsync(hub);
                rows = await ClickHouseStoreContents.CountAsync(clickHouse.HttpUrl, db);
                return letters.Count >= poison.Count && rows >= stored.Count;
            }, TimeSpan.FromSeconds(20), () => $"{letters.Count} of {poison.Count} refused events dead-lettered, ClickHouse holds {rows:N0} of {stored.Count:N0}\n{Describe()}");
            output.WriteLine($"{BatchesBefore * EventsPerBatch:N0} events sent, {poison.Count} refused: dead-lettered and the rest stored after {total.Elapsed.TotalSeconds:0.0} s");

            // The drainer goes on: events sent after the refusals reach ClickHouse too.
            for (int b = BatchesBefore; b < BatchesBefore + BatchesAfter; b++)
            {
                var batch = TestBatches.Batch(ProducerId, (ulong)b + 1, EventsPerBatch);
                await SendAsync(channel, batch);
                stored.AddRange(batch.Events.Select(e => Guid.Parse(e.EventId)));
            }
        }

        long final = await ClickHouseStoreContents.WaitUntilDrainedAsync(hub, clickHouse.HttpUrl, db, stored.Count, TimeSpan.FromSeconds(30), Describe);
        var contents = await ClickHouseStoreContents.ReadAsync(clickHouse.HttpUrl, db);
        ClickHouseStoreContents.AssertEachOnce(contents, stored, "every acknowledged event but the refused ones", complete: true);
        Assert.Equal(stored.Count, final);
        var refusedButStored = poison.Keys.Where(contents.ContainsKey).ToList();
        Assert.True(refusedButStored.Count == 0, $"refused events in ClickHouse: {string.Join(", ", refusedButStored)}");
        long poisonRows = long.Parse((await ClickHouseStoreContents.QueryAsync(clickHouse.HttpUrl, $"SELECT count() FROM {db}.events WHERE name = '{PoisonMetric}'")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, poisonRows);

        // Each refused event exactly once in the dead-letter log, with the server's words and enough to replay it.
        var dead = await StoreRejectedLettersAsync(hub);
        Assert.True(dead.Count == poison.Count, $"{dead.Count} store_rejected dead letters, {poison.Count} refused events:\n{string.Join('\n', dead)}");
        foreach (var letter in dead)
        {
            var id = Guid.Parse(letter.GetProperty("event_id").GetString()!);
            Assert.True(poison.TryGetValue(id, out ulong sequence), $"a dead letter for an event that was not refused: {letter}");
            Assert.Equal(StoreRejected, letter.GetProperty("code").GetString());
            string message = letter.GetProperty("message").GetString()!;
            Assert.Contains("clickhouse", message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Code: 395", message, StringComparison.Ordinal);
            Assert.Contains(serverText, message, StringComparison.Ordinal);
            Assert.Equal(ProducerId, letter.GetProperty("producer_id").GetString());
            Assert.Equal(sequence, letter.GetProperty("sequence").GetUInt64());
            var original = AnalyticsEvent.Parser.ParseFrom(letter.GetProperty("event").GetBytesFromBase64());
            Assert.Equal((id, PoisonMetric), (Guid.Parse(original.EventId), original.Telemetry.MetricName));
        }

        // For the record: the refused inserts the drainer split (its log event 403, "refused a batch of N events").
        var refusedSizes = hub.Output.Split('\n').Where(l => l.Contains("\"EventId\":403,", StringComparison.Ordinal))
            .Select(l => RowsPattern().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        output.WriteLine($"{refusedSizes.Count} refused inserts split; the largest {refusedSizes.DefaultIfEmpty().Max()} rows, {refusedSizes.Count(n => n > EventsPerBatch)} larger than one producer batch");

        readiness = await HubReadiness.GetAsync(hub);
        Assert.True(readiness.Ready && readiness.Store == "clickhouse: ok", $"the hub after the refusals: {readiness}");
        Assert.False(hub.HasExited);
        output.WriteLine($"{stored.Count:N0} events stored once each, {dead.Count} dead-lettered, in {total.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task SigkillMidDrain_FiveTimes_ClickHouseHoldsEverySentEventExactlyOnce()
    {
        using var clickHouse = ClickHouseServer.Start();
        string db = NewDatabase("hub_crash");
        await DrainCrashScenario.RunAsync(output, "ch-drain-crash-producer", [.. ClickHouseStore(clickHouse, db), .. SmallDrains],
            hub => DrainCrashStores.ClickHouse(hub, clickHouse.HttpUrl, db));
    }

    private const string StoreRejected = "store_rejected";

    /// <summary>
    /// Makes the server refuse rows whose <c>name</c> is <see cref="PoisonMetric"/>: a MATERIALIZED column
    /// that throws (ClickHouse 18.16 has no CHECK constraints, and its throwIf takes no message). Returns
    /// the text the server's refusal will contain.
    /// </summary>
    private static async Task<string> AddPoisonRuleAsync(ClickHouseServer server, string db)
    {
        try
        {
            await ClickHouseStoreContents.QueryAsync(server.HttpUrl,
                $"ALTER TABLE {db}.events ADD COLUMN guard UInt8 MATERIALIZED throwIf(name = '{PoisonMetric}', 'poison refused')");
            return "poison refused";
        }
        catch (InvalidOperationException e) when (e.Message.Contains("Number of arguments for function throwIf", StringComparison.Ordinal))
        {
            await ClickHouseStoreContents.QueryAsync(server.HttpUrl,
                $"ALTER TABLE {db}.events ADD COLUMN guard UInt8 MATERIALIZED throwIf(name = '{PoisonMetric}')");
            return "Value passed to 'throwIf' function is non zero";
        }
    }

    private static async Task SendAsync(GrpcChannel channel, EventBatch batch)
    {
        var ack = await channel.UnaryAsync(TestBatches.IngestBatch, batch, new CallOptions { Timeout = CallTimeout });
        Assert.True(ack.Sequence == batch.Sequence && ack.Accepted == (uint)batch.Events.Count && ack.Rejected == 0 && ack.Duplicates == 0,
            $"batch {batch.Sequence} not acknowledged whole: {ack}");
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"Rows\":(\\d+)")]
    private static partial System.Text.RegularExpressions.Regex RowsPattern();

    /// <summary>Every dead letter of code <c>store_rejected</c> (<c>GET /api/v1/dlq</c>, all pages).</summary>
    private static async Task<List<JsonElement>> StoreRejectedLettersAsync(HubProcess hub)
    {
        var letters = new List<JsonElement>();
        string? cursor = null;
        do
        {
            string uri = $"http://127.0.0.1:{hub.HttpPort}/api/v1/dlq?code={StoreRejected}&limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await Http.GetAsync(uri);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {uri}: {(int)response.StatusCode} {body}");
            using var page = JsonDocument.Parse(body);
            letters.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = page.RootElement.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        return letters;
    }
}
