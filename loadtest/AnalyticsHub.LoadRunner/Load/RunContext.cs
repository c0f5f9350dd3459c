using System.Diagnostics;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.LoadRunner.Generation;
using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>What every sender of a run shares.</summary>
internal sealed class RunContext(LoadScenario scenario, LatencyRecorder recorder, EventIdGenerator ids)
{
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    public LoadScenario Scenario { get; } = scenario;

    public LatencyRecorder Recorder { get; } = recorder;

    public EventIdGenerator Ids { get; } = ids;

    /// <summary>The rate the run offers now (events/s, or queries/s in query mode); 0: closed loop. A ramp moves it.</summary>
    public OfferedRate Offered { get; } = new(scenario.RampFrom > 0 ? scenario.RampFrom : scenario.Rate);

    /// <summary>What query answers said (cached, source, server time); unused by the ingestion modes.</summary>
    public QueryAnswerStats Queries { get; } = new();

    /// <summary>The model names of <c>--models</c>.</summary>
    public IReadOnlyList<string> Models { get; } = ModelNames.Create(scenario.Models);

    /// <summary>Short run id in producer ids: the first 8 hex digits of the id prefix.</summary>
    public string RunId { get; } = ids.RunPrefix.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)[..8];

    /// <summary>Cancelled when senders must stop sending (end of the run or Ctrl-C).</summary>
    public CancellationTokenSource StopSending { get; } = new();

    /// <summary>Cancelled when outstanding calls are abandoned (drain timeout after the stop).</summary>
    public CancellationTokenSource Abandon { get; } = new();

    public static long ToNanos(long stopwatchTicks) => (long)(stopwatchTicks * NanosPerTick);

    /// <summary>Wall-clock now as Unix nanoseconds (the events' time).</summary>
    public static ulong NowUnixNano() => (ulong)(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100UL;

    public string ProducerId(int connection, int stream) => $"load-{RunId}-{connection}-{stream}";

    /// <summary>One batch's events for a sender: seeded by --seed and the sender's index (deterministic; HashCode is not).</summary>
    public List<AnalyticsEvent> CreateEvents(int senderIndex) =>
        EventFactory.CreateBatch(Scenario.Mix, Scenario.Batch, new Random(unchecked((Scenario.Seed * 1_000_003) + senderIndex)), Ids, NowUnixNano(), Models);

    /// <summary>
    /// The event-time generator of one send loop for <c>--time-spread</c>, or null (every event "now").
    /// Seeded by --seed and the loop's index, so loops draw different times.
    /// </summary>
    public TimeSpread? CreateTimeSpread(int loopIndex) =>
        Scenario.TimeSpread > TimeSpan.Zero
            ? new TimeSpread((ulong)Scenario.TimeSpread.Ticks * 100UL, unchecked(((ulong)(uint)Scenario.Seed << 32) + (ulong)loopIndex))
            : null;

    public ProtoBatchTemplate CreateProtoTemplate(int senderIndex, string producerId)
    {
        var batch = new EventBatch { ProducerId = producerId };
        batch.Events.Add(CreateEvents(senderIndex));
        return ProtoBatchTemplate.Create(batch, Ids);
    }

    /// <summary>Records a call failure once, by kind: "grpc UNAVAILABLE", "http 429", "error HttpRequestException".</summary>
    public void Fail(Exception exception, long batches)
    {
        if (Abandon.IsCancellationRequested && exception is OperationCanceledException or AnalyticsHub.Protocol.Grpc.RpcException { StatusCode: AnalyticsHub.Protocol.Grpc.StatusCode.Cancelled })
        {
            Recorder.Error("abandoned after drain timeout", batches);
            return;
        }

        Recorder.Error(ErrorKinds.Of(exception), batches);
    }
}
