using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using AnalyticsHub.Client;
using AnalyticsHub.Protocol.Grpc;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// Memory stays bounded under any load: with the WAL backlog full (16 MiB; the store is a
/// PostgreSQL that cannot be reached, so nothing drains — a store outage) streams stop being read — HTTP/2 flow control holds their writers — and unary calls
/// get RESOURCE_EXHAUSTED, while the hub's resident memory stays flat and it stays alive.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class BackpressureTests(ITestOutputHelper output)
{
    private const int Streams = 4;
    private const int UnaryLoops = 2;
    private const int EventsPerBatch = 200;
    private const long MaxBacklogBytes = 16 << 20;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pushing = TimeSpan.FromSeconds(10);

    /// <summary>Port 1 on loopback refuses connections: the drainer retries, the backlog only grows.</summary>
    private static readonly string[] UnreachableStore =
        ["--Hub:Storage:Kind=postgres", "--Hub:Postgres:ConnectionString=Host=127.0.0.1;Port=1;Username=hub;Timeout=1"];

    [Fact]
    public async Task FullBacklog_StreamsHeldByFlowControl_UnaryResourceExhausted_RssStaysBounded()
    {
        await using var hub = HubProcess.Start([$"--Hub:Wal:MaxBacklogBytes={MaxBacklogBytes}", .. UnreachableStore]);
        await hub.WaitUntilListeningAsync(StartTimeout);
        long baseline = RssBytes(hub.Id);
        using var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, Streams).Select(_ => new StreamStats()).ToArray();
        var unary = new UnaryStats();
        var tasks = streams.Select((s, i) => PushStreamAsync(hub, $"backpressure-{i}", s, stop.Token))
            .Concat(Enumerable.Range(0, UnaryLoops).Select(_ => PushUnaryAsync(hub, unary, stop.Token)))
            .ToList();

        try
        {
            // Fill: until readiness reports the backlog full.
            var fill = Stopwatch.StartNew();
            await Poll.UntilAsync(async () => (await HubHttp.ReadinessAsync(hub)).Wal.StartsWith("backlog full", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), () => $"the backlog never filled: {Describe(streams, unary)}\n{hub.Output}");
            output.WriteLine($"backlog full after {fill.Elapsed.TotalSeconds:0.0} s; RSS baseline {baseline >> 20} MiB; {Describe(streams, unary)}");

            // Push on for a while; whatever was appended before the bound settles within a second.
            var samples = new List<long>();
            var clock = Stopwatch.StartNew();
            long acksSettled = -1;
            long unaryAcceptedSettled = -1;
            while (clock.Elapsed < Pushing)
            {
                samples.Add(RssBytes(hub.Id));
                await HubHttp.AssertAliveAsync(hub, $"{clock.Elapsed.TotalSeconds:0.0} s into the full backlog");
                if (acksSettled < 0 && clock.Elapsed > TimeSpan.FromSeconds(2))
                {
                    acksSettled = streams.Sum(s => s.Acks);
                    unaryAcceptedSettled = unary.Accepted;
                }

                await Task.Delay(250);
            }

            var report = $"{Describe(streams, unary)}; RSS MiB: {string.Join(" ", samples.Select(s => s >> 20))}";
            output.WriteLine(report);

            // Nothing acknowledged past the bound: the acks stopped, and what was acked fits in the backlog.
            Assert.True(streams.Sum(s => s.Acks) == acksSettled, $"streams were still acknowledged with the backlog full: {report}");
            Assert.True(unary.Accepted == unaryAcceptedSettled, $"unary calls were still accepted with the backlog full: {report}");
            long ackedBytes = streams.Sum(s => s.AckedBytes) + unary.AcceptedBytes;
            long slack = (Streams + UnaryLoops) * streams.Max(s => s.MaxBatchBytes);
            Assert.True(ackedBytes <= MaxBacklogBytes + slack, $"{ackedBytes:N0} bytes acknowledged with a {MaxBacklogBytes:N0}-byte backlog: {report}");

            // Streams: held by flow control, none failed; each writer is stuck in a write.
            Assert.All(streams, s => Assert.Null(s.Error));
            Assert.All(streams, s => Assert.True(s.WriteInProgressFor > TimeSpan.FromSeconds(5), $"a stream's writer was not held back: {report}"));

            // Unary: refused with RESOURCE_EXHAUSTED and a message that says why, nothing else.
            Assert.True(unary.Exhausted > 0, $"no unary call was refused: {report}");
            Assert.True(unary.Other.IsEmpty, $"unary calls failed otherwise: {string.Join(" | ", unary.Other.Take(5))}");
            Assert.Contains("backlog is full", unary.ExhaustedMessage, StringComparison.Ordinal);

            // Memory: bounded, and flat (the last samples no higher than the middle ones, give or take).
            long max = samples.Max();
            Assert.True(max < baseline + (300L << 20), $"RSS reached {max >> 20} MiB from a {baseline >> 20} MiB baseline: {report}");
            long middle = Median(samples.Skip(samples.Count / 4).Take(samples.Count / 4));
            long last = Median(samples.Skip(samples.Count * 3 / 4));
            Assert.True(last < middle + (64L << 20), $"RSS grew from {middle >> 20} MiB to {last >> 20} MiB while the backlog was full: {report}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await HubHttp.ReadinessAsync(hub)).Status);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(tasks).WaitAsync(StartTimeout);
        }
    }

    private static async Task PushStreamAsync(HubProcess hub, string producerId, StreamStats stats, CancellationToken stop)
    {
        using var channel = TestBatches.Channel(hub);
        using var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new CallOptions { CancellationToken = stop });
        var sizes = new ConcurrentQueue<int>();
        var reader = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(stop))
            {
                sizes.TryDequeue(out var size);
                Interlocked.Add(ref stats.AckedBytesField, size);
                Interlocked.Increment(ref stats.AcksField);
            }
        }, CancellationToken.None);

        try
        {
            for (ulong sequence = 1; ; sequence++)
            {
                var batch = TestBatches.Batch(producerId, sequence, EventsPerBatch);
                int size = batch.CalculateSize();
                stats.MaxBatchBytes = Math.Max(stats.MaxBatchBytes, size);
                sizes.Enqueue(size);
                Volatile.Write(ref stats.WriteStartedField, Stopwatch.GetTimestamp());
                await call.RequestStream.WriteAsync(batch, stop);
                Volatile.Write(ref stats.WriteStartedField, 0);
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException or InvalidOperationException or IOException)
        {
        }
        catch (Exception e)
        {
            stats.Error = e;
        }

        try
        {
            await reader;
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException or InvalidOperationException or IOException)
        {
        }
        catch (Exception e)
        {
            stats.Error ??= e;
        }
    }

    private static async Task PushUnaryAsync(HubProcess hub, UnaryStats stats, CancellationToken stop)
    {
        using var channel = TestBatches.Channel(hub);
        while (!stop.IsCancellationRequested)
        {
            var batch = TestBatches.Batch("", 0, EventsPerBatch);
            try
            {
                var ack = await channel.UnaryAsync(TestBatches.IngestBatch, batch, new CallOptions { Timeout = StartTimeout, CancellationToken = stop });
                Interlocked.Add(ref stats.AcceptedField, ack.Accepted);
                Interlocked.Add(ref stats.AcceptedBytesField, batch.CalculateSize());
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                Interlocked.Increment(ref stats.ExhaustedField);
                stats.ExhaustedMessage = e.Status.Detail;
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                stats.Other.Enqueue($"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static string Describe(StreamStats[] streams, UnaryStats unary) =>
        $"streams acked {string.Join("/", streams.Select(s => s.Acks))} batches ({string.Join("/", streams.Select(s => s.AckedBytes))} bytes); " +
        $"unary: {unary.Accepted:N0} events accepted, {unary.Exhausted:N0} RESOURCE_EXHAUSTED, {unary.Other.Count} other errors";

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }

    /// <summary>VmRSS of a process, from /proc/PID/status.</summary>
    private static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No VmRSS in /proc/{pid}/status.");
    }

    private sealed class StreamStats
    {
        public long AcksField;
        public long AckedBytesField;
        public long WriteStartedField;
        public int MaxBatchBytes;
        public Exception? Error;

        public long Acks => Interlocked.Read(ref AcksField);

        public long AckedBytes => Interlocked.Read(ref AckedBytesField);

        /// <summary>How long the current write has been waiting (zero between writes).</summary>
        public TimeSpan WriteInProgressFor
        {
            get
            {
                long started = Volatile.Read(ref WriteStartedField);
                return started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started);
            }
        }
    }

    private sealed class UnaryStats
    {
        public long AcceptedField;
        public long AcceptedBytesField;
        public long ExhaustedField;
        public string ExhaustedMessage = "";

        public ConcurrentQueue<string> Other { get; } = new();

        public long Accepted => Interlocked.Read(ref AcceptedField);

        public long AcceptedBytes => Interlocked.Read(ref AcceptedBytesField);

        public long Exhausted => Interlocked.Read(ref ExhaustedField);
    }
}
