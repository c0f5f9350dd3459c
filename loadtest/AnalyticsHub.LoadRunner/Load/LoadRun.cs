using System.Diagnostics;
using AnalyticsHub.Client;
using AnalyticsHub.LoadRunner.Generation;
using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Output;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Runs a scenario: opens the connections, builds every sender's batch template up front, then
/// lets the senders go and closes one interval per second — warmup seconds first, then the
/// measured ones — then stops sending and waits up to the drain timeout for outstanding acks.
/// Warmup and duration are rounded up to whole seconds. In query mode the "batches" are queries
/// (one each) and the senders closed-loop query clients.
/// </summary>
internal sealed class LoadRun(LoadScenario scenario, IProgressView progress)
{
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var run = new RunContext(scenario, recorder, new EventIdGenerator());
        var warmupSeconds = (int)Math.Ceiling(scenario.Warmup.TotalSeconds);
        var steadySeconds = (int)Math.Ceiling(scenario.Duration.TotalSeconds);

        var channels = new List<IDisposable>();
        var senders = new List<ISender>();
        try
        {
            int batchBytes;
            if (scenario.Mode == LoadMode.Query)
            {
                batchBytes = CreateQueryClients(run, channels, senders, out var bodies);
                progress.Message($"run {run.RunId}: query → {scenario.QueryUrl}{(scenario.RestHttp2 ? " (h2c)" : "")}, {scenario.Clients} clients, "
                    + $"{bodies} bod{(bodies == 1 ? "y" : "ies")} ({batchBytes:N0} bytes), rate {RateText(" queries/s", "closed loop")}, "
                    + $"warmup {warmupSeconds}s + {steadySeconds}s");
            }
            else
            {
                batchBytes = CreateSenders(run, channels, senders);
                progress.Message($"run {run.RunId}: {scenario.ModeName} → {(scenario.Mode == LoadMode.Rest ? scenario.RestUrl : scenario.Target)}, "
                    + $"{scenario.Connections}×{scenario.Streams} senders, batch {scenario.Batch} ({batchBytes:N0} bytes), inflight {scenario.Inflight}, "
                    + $"rate {RateText("/s", "max")}, warmup {warmupSeconds}s + {steadySeconds}s"
                    + (scenario.TimeSpread > TimeSpan.Zero ? $", times spread over {scenario.TimeSpread.TotalHours:0.##} h" : "")
                    + (scenario.Models != ModelNames.Default ? $", {scenario.Models} models" : ""));
            }

            var startedAt = DateTimeOffset.UtcNow;
            var start = Stopwatch.GetTimestamp();
            var tasks = senders.Select(s => Task.Run(s.RunAsync)).ToArray();
            var interrupted = false;

            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var intervals = new List<IntervalSample>();
            var lastTick = start;
            var lastCpu = Environment.CpuUsage.TotalTime;
            TimeSpan steadyCpuStart = default;
            long steadyAllocStart = 0;
            long steadyStart = 0;
            if (warmupSeconds == 0)
            {
                recorder.StartMeasuring();
                run.Queries.StartMeasuring();
                steadyCpuStart = lastCpu;
                steadyAllocStart = GC.GetTotalAllocatedBytes();
                steadyStart = start;
            }

            for (var i = 0; i < warmupSeconds + steadySeconds; i++)
            {
                try
                {
                    await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    interrupted = true;
                    break;
                }

                if (i + 1 == warmupSeconds)
                {
                    // The boundary: acks from now on are measured.
                    recorder.StartMeasuring();
                    run.Queries.StartMeasuring();
                    steadyCpuStart = Environment.CpuUsage.TotalTime;
                    steadyAllocStart = GC.GetTotalAllocatedBytes();
                    steadyStart = Stopwatch.GetTimestamp();
                }

                var sample = CloseInterval(run, i, i < warmupSeconds ? RunPhase.Warmup : RunPhase.Steady, ref lastTick, ref lastCpu);
                if (scenario.IsRamp)
                {
                    run.Offered.PerSecond = RampRate(scenario, i + 1 - warmupSeconds, steadySeconds);
                }

                intervals.Add(sample);
                progress.Interval(sample, warmupSeconds + steadySeconds);
                if (sample.Index >= warmupSeconds && AllSendersEnded(tasks))
                {
                    break;
                }
            }

            recorder.StopMeasuring();
            run.Queries.StopMeasuring();
            var steadyEnd = Stopwatch.GetTimestamp();
            var steadyCpu = Environment.CpuUsage.TotalTime - steadyCpuStart;
            var steadyAlloc = GC.GetTotalAllocatedBytes() - steadyAllocStart;
            var steadyAcked = recorder.Totals().SteadyBatchesAcked;
            var steadyWall = steadyStart == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(steadyStart, steadyEnd);

            // Stop sending; give outstanding batches the drain timeout, then cancel their calls.
            await run.StopSending.CancelAsync().ConfigureAwait(false);
            run.Abandon.CancelAfter(scenario.DrainTimeout);
            await Task.WhenAll(tasks).ConfigureAwait(false);
            intervals.Add(CloseInterval(run, intervals.Count, RunPhase.Drain, ref lastTick, ref lastCpu));

            return new RunResult(
                scenario,
                run.RunId,
                startedAt,
                Stopwatch.GetElapsedTime(start),
                intervals,
                recorder.SteadyLatencies(),
                recorder.Totals(),
                recorder.Errors(),
                recorder.RejectionCodes(),
                steadyWall > TimeSpan.Zero ? steadyCpu / steadyWall * 100 : 0,
                steadyAcked > 0 ? (double)steadyAlloc / steadyAcked : 0,
                batchBytes,
                interrupted)
            {
                Queries = scenario.Mode == LoadMode.Query ? run.Queries.Snapshot() : null,
            };
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }

            run.StopSending.Dispose();
            run.Abandon.Dispose();
        }
    }

    /// <summary>
    /// The offered rate of measured second <paramref name="steadyIndex"/> (0-based; negative:
    /// warmup) of a ramp: <c>ramp-from</c> in the warmup and the first second, <c>rate</c> in the last.
    /// </summary>
    public static double RampRate(LoadScenario scenario, int steadyIndex, int steadySeconds)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var progress = steadyIndex < 0 ? 0 : steadySeconds <= 1 ? 1 : Math.Clamp(steadyIndex / (double)(steadySeconds - 1), 0, 1);
        return scenario.RampFrom + ((scenario.Rate - scenario.RampFrom) * progress);
    }

    private string RateText(string unit, string unpaced) => scenario.IsRamp
        ? $"ramp {scenario.RampFrom:N0} → {scenario.Rate:N0}{unit}"
        : scenario.Rate > 0 ? $"{scenario.Rate:N0}{unit}" : unpaced;

    private static bool AllSendersEnded(Task[] tasks) => Array.TrueForAll(tasks, t => t.IsCompleted);

    private static IntervalSample CloseInterval(RunContext run, int index, RunPhase phase, ref long lastTick, ref TimeSpan lastCpu)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var wall = Stopwatch.GetElapsedTime(lastTick, now);
        var cpuPercent = wall > TimeSpan.Zero ? (cpu - lastCpu) / wall * 100 : 0;
        lastTick = now;
        lastCpu = cpu;
        return run.Recorder.CloseInterval(index, phase, wall.TotalSeconds, cpuPercent) with
        {
            Cached = run.Queries.CloseInterval(),
            OfferedPerSecond = phase == RunPhase.Drain ? 0 : run.Offered.PerSecond,
        };
    }

    /// <summary>
    /// One HttpClient (HTTP/1.1: a keep-alive connection per client; h2c: one connection) and
    /// <c>--clients</c> query clients; returns the size of the first body.
    /// </summary>
    private int CreateQueryClients(RunContext run, List<IDisposable> connections, List<ISender> senders, out int bodyCount)
    {
        if (!QueryBodies.TryLoad(scenario.QueryFiles, out var bodies, out var error))
        {
            throw new InvalidOperationException("--query: " + error);
        }

        var client = RestSender.CreateClient(scenario.RestHttp2, scenario.Clients);
        connections.Add(client);
        for (var i = 0; i < scenario.Clients; i++)
        {
            senders.Add(new QuerySender(run, client, bodies, new Pacer(run.Offered, scenario.Clients, i / (double)scenario.Clients)));
        }

        bodyCount = bodies.Count;
        return bodies.FirstLength;
    }

    /// <summary>Opens C connections and S senders on each; returns the encoded size of one batch.</summary>
    private int CreateSenders(RunContext run, List<IDisposable> connections, List<ISender> senders)
    {
        for (var c = 0; c < scenario.Connections; c++)
        {
            GrpcChannel? channel = null;
            HttpClient? client = null;
            if (scenario.Mode == LoadMode.Rest)
            {
                client = RestSender.CreateClient(scenario.RestHttp2, scenario.Streams * scenario.Inflight);
                connections.Add(client);
            }
            else
            {
                channel = GrpcChannel.ForAddress(scenario.Target, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 });
                connections.Add(channel);
            }

            for (var s = 0; s < scenario.Streams; s++)
            {
                var index = senders.Count;
                ISender sender = scenario.Mode switch
                {
                    LoadMode.GrpcStream => new GrpcStreamSender(run, channel!, c, s, index, new Pacer(run.Offered, (double)scenario.Batch * scenario.Senders, index / (double)scenario.Senders)),
                    LoadMode.GrpcUnary => new GrpcUnarySender(run, channel!, c, s, index),
                    _ => new RestSender(run, client!, c, s, index),
                };
                senders.Add(sender);
            }
        }

        // Sender 0's batch, built again: the size the report quotes (senders differ by a few bytes).
        return scenario.Mode == LoadMode.Rest
            ? JsonBatchTemplate.Create(run.CreateEvents(0), run.Ids).Length
            : run.CreateProtoTemplate(0, run.ProducerId(0, 0)).PrefixLength;
    }
}
