using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Ingestion;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Ingest;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// What admission costs per event after decoding, on the same decoded 1,000-event batch of typical
/// ~158-byte telemetry events as <see cref="EventDecodeBenchmarks"/>: normalization alone; normalization
/// and validation (rate limiter off); those plus the event_id duplicate window with ids never seen
/// before; and writing the batch's WAL record. One operation = one event, so Op/s is events per
/// second and Allocated is bytes per event. The prefetched case mirrors the loop of the server's <c>IngestPipeline.AdmitRows</c>.
/// </summary>
/// <remarks>
/// <para>
/// Normalization rewrites rows in place, so each case must be idempotent on its batch: the clock
/// skew table is configured (<c>EUR</c> rate, a zero offset for Observatory — the same per-event
/// work as any other offset) and every event is in <c>ms</c>, which converts to itself. A non-zero
/// offset would move the times a little further on every invocation.
/// </para>
/// <para>
/// The duplicate window needs fresh ids on every invocation, or from the second one on every event
/// would be a duplicate (a different, cheaper path). Rotating a few pre-decoded batches would not
/// do: BenchmarkDotNet runs thousands of invocations per iteration, so a batch comes back while its
/// ids are still remembered unless the window is tiny, and a tiny window measures a table that
/// fits in L1. Instead, before each invocation the first 8 hex digits of every event_id in the
/// batch's arena are overwritten with an invocation counter (1,000 8-byte stores; the other 24
/// digits of the UUIDv7s keep the ids of one batch distinct), and the window's monotonic clock is
/// advanced by <see cref="BatchIntervalNanos"/> per batch. With the production window (5 minutes,
/// 4 generations) that is 1,000 batches = 1 M ids per window, so the window holds 1.0-1.33 M ids
/// (a 5-minute window at ~3,300 events/s) in steady state, generations rotate and are swept as
/// in production, and every id is new. <see cref="IdRewrite_Only"/> measures the rewrite alone.
/// </para>
/// </remarks>
[BenchmarkCategory("Admission")]
public class IngestAdmissionBenchmarks
{
    public const int EventsPerBatch = EventDecodeBenchmarks.EventsPerBatch;

    /// <summary>Monotonic time between batches as the window sees it: 1,000 batches per 5-minute window.</summary>
    public const long BatchIntervalNanos = 300_000_000;

    private const long FirstEventUnixNano = 1_795_000_000_000_000_000;
    private const long NowUnixNano = FirstEventUnixNano + 2_000_000_000;

    private EventBatch _batch = null!;
    private EventNormalizer _normalizer = null!;
    private EventValidator _validator = null!;
    private EventIdWindow _eventIds = null!;
    private IngestRecordWriter _writer = null!;
    private AdmissionCounts _counts;
    private long _monotonicNanos;
    private uint _invocation;

    [GlobalSetup]
    public void Setup()
    {
        var batch = new V1.EventBatch { ProducerId = "observatory-7", Sequence = 1 };
        for (var i = 0; i < EventsPerBatch; i++)
        {
            batch.Events.Add(EventDecodeBenchmarks.TypicalTelemetryEvent(i));
        }

        var bytes = batch.ToByteArray();
        _batch = new EventBatch();
        _batch.Load(bytes);
        if (!EventBatchDecoder.TryDecode(_batch, out var error) || _batch.Count != EventsPerBatch)
        {
            throw new InvalidOperationException(error.ToString());
        }

        _normalizer = new EventNormalizer(
            new ClockSkew(new Dictionary<SourceModule, TimeSpan> { [SourceModule.LlmObservatory] = TimeSpan.Zero }),
            new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.08 }));
        _validator = new EventValidator();
        _eventIds = new EventIdWindow(new EventIdWindowOptions());
        _writer = new IngestRecordWriter();

        uint accepted = 0;
        foreach (ref var row in _batch.Rows)
        {
            row.Rejection = _validator.NormalizeAndValidate(_batch, ref row, _normalizer, NowUnixNano, 0);
            accepted += row.Rejection == Rejection.None ? 1u : 0;
        }

        if (accepted != EventsPerBatch)
        {
            throw new InvalidOperationException($"Only {accepted} of {EventsPerBatch} events are valid; the benchmark measures the accepting path.");
        }

        _counts = new AdmissionCounts(accepted, 0, 0);
        Console.WriteLine($"// EventBatch: {bytes.Length} bytes, {bytes.Length / EventsPerBatch} bytes/event; WAL record: {_writer.Write(_batch, NowUnixNano, _counts, []).Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_eventIds.EarlyRotations != 0)
        {
            Console.WriteLine($"// EventIdWindow: {_eventIds.EarlyRotations} early rotations (MaxEntries reached)");
        }

        Console.WriteLine($"// EventIdWindow: {_eventIds.Count:N0} ids remembered at the end");
        _writer.Dispose();
        _batch.Dispose();
    }

    /// <summary>(1) <see cref="EventNormalizer.Normalize"/> of every row.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerBatch)]
    public int Normalize()
    {
        var batch = _batch;
        var normalizer = _normalizer;
        var rejected = 0;
        foreach (ref var row in batch.Rows)
        {
            rejected += normalizer.Normalize(batch, ref row) != Rejection.None ? 1 : 0;
        }

        return rejected;
    }

    /// <summary>(2) <see cref="EventValidator.NormalizeAndValidate"/> of every row (rate limiter off).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int NormalizeAndValidate()
    {
        var batch = _batch;
        var validator = _validator;
        var normalizer = _normalizer;
        var accepted = 0;
        foreach (ref var row in batch.Rows)
        {
            row.Rejection = validator.NormalizeAndValidate(batch, ref row, normalizer, NowUnixNano, 0);
            accepted += row.Rejection == Rejection.None ? 1 : 0;
        }

        return accepted;
    }

    /// <summary>(3) (2) plus <see cref="EventIdWindow.TryAdd"/> for each valid row, every id new (includes <see cref="IdRewrite_Only"/>).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int NormalizeValidateAndDedup() => OnePass(_monotonicNanos += BatchIntervalNanos);

    /// <summary>
    /// (3) in two passes, as the server admits a batch: normalize and validate every row and
    /// prefetch each valid id's slot in the window (<see cref="EventIdWindow.Prefetch"/>), then
    /// TryAdd them, so the table's cache misses overlap.
    /// </summary>
    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int NormalizeValidateAndDedup_Prefetched()
    {
        var batch = _batch;
        var validator = _validator;
        var normalizer = _normalizer;
        var eventIds = _eventIds;
        long monotonic = _monotonicNanos += BatchIntervalNanos;
        FreshIds();

        foreach (ref var row in batch.Rows)
        {
            row.Rejection = validator.NormalizeAndValidate(batch, ref row, normalizer, NowUnixNano, monotonic);
            if (row.Rejection == Rejection.None)
            {
                eventIds.Prefetch(batch.Bytes(row.EventId), batch.Bytes(row.TenantId));
            }
        }

        int accepted = 0, duplicates = 0;
        foreach (ref var row in batch.Rows)
        {
            if (row.Rejection == Rejection.None)
            {
                Count(TryAdd(eventIds, batch, ref row, monotonic), ref accepted, ref duplicates);
            }
        }

        return duplicates == 0 ? accepted : ThrowDuplicates(duplicates);
    }

    /// <summary>
    /// (3) with the window's clock advanced 62.5x faster per batch, so it holds only 16,000 ids
    /// (tables of about 1 MB in all): what the window costs when its tables stay in cache.
    /// </summary>
    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int NormalizeValidateAndDedup_16kIdsInWindow() => OnePass(_monotonicNanos += BatchIntervalNanos * 1_000 / 16);

    /// <summary>Validation and the window in one loop, row by row (the server's loop before the prefetch).</summary>
    private int OnePass(long monotonic)
    {
        var batch = _batch;
        var validator = _validator;
        var normalizer = _normalizer;
        var eventIds = _eventIds;
        FreshIds();

        int accepted = 0, duplicates = 0;
        foreach (ref var row in batch.Rows)
        {
            row.Rejection = validator.NormalizeAndValidate(batch, ref row, normalizer, NowUnixNano, monotonic);
            if (row.Rejection == Rejection.None)
            {
                Count(TryAdd(eventIds, batch, ref row, monotonic), ref accepted, ref duplicates);
            }
        }

        return duplicates == 0 ? accepted : ThrowDuplicates(duplicates);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryAdd(EventIdWindow eventIds, EventBatch batch, ref EventRow row, long monotonic)
    {
        bool added = eventIds.TryAdd(batch.Bytes(row.EventId), batch.Bytes(row.TenantId), monotonic);
        row.IsDuplicate = !added;
        return added;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Count(bool added, ref int accepted, ref int duplicates)
    {
        accepted += added ? 1 : 0;
        duplicates += added ? 0 : 1;
    }

    /// <summary>The id rewrite that (3) does to keep ids fresh, alone: subtract it from (3).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public uint IdRewrite_Only()
    {
        FreshIds();
        return _invocation;
    }

    /// <summary>(4) <see cref="IngestRecordWriter.Write"/> of the whole batch, all events accepted (no dead letters).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int WriteRecord() => _writer.Write(_batch, NowUnixNano, _counts, []).Length;

    /// <summary>Overwrites the first 8 hex digits of every event_id in the arena with the next invocation number.</summary>
    private void FreshIds()
    {
        // Eight lower-case hex digits of the counter, as one 8-byte store per id.
        uint n = ++_invocation;
        ulong digits = 0;
        for (var i = 0; i < 8; i++)
        {
            uint nibble = (n >> (28 - (4 * i))) & 0xF;
            digits |= (ulong)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10) << (8 * i);
        }

        // The arena is read-only to consumers; the benchmark writes through it on purpose.
        ref byte arena = ref Unsafe.AsRef(in MemoryMarshal.GetReference(_batch.Arena));
        foreach (ref readonly var row in _batch.Rows)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref arena, row.EventId.Offset), digits);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ThrowDuplicates(int duplicates) =>
        throw new InvalidOperationException($"{duplicates} ids were judged duplicates: the ids were not fresh.");
}
