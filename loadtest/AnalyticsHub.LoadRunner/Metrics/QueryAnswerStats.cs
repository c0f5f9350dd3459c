namespace AnalyticsHub.LoadRunner.Metrics;

/// <summary>
/// What the answers of <c>--mode query</c> said about themselves (<c>meta</c>): served from the
/// result cache or not, from which source, and the server's own execution time — next to the
/// client's latency, which <see cref="LatencyRecorder"/> keeps. Steady-state figures only, like
/// the latency histogram; the cached count also per interval. One lock per answer.
/// </summary>
public sealed class QueryAnswerStats
{
    private readonly Lock _gate = new();
    private readonly LogLinearHistogram _serverNanos = new();
    private readonly LogLinearHistogram _overheadNanos = new();
    private readonly LogLinearHistogram _responseBytes = new();
    private readonly Dictionary<string, long> _sources = new(StringComparer.Ordinal);
    private bool _measuring;
    private long _answers;
    private long _cached;
    private long _withoutMeta;
    private long _rows;
    private long _intervalCached;

    /// <summary>
    /// One 2xx answer: its <paramref name="meta"/> (<see cref="QueryMeta.Found"/> false when the body
    /// had none), the client's latency and the body's size.
    /// </summary>
    public void Answer(in QueryMeta meta, long clientNanos, long responseBytes)
    {
        lock (_gate)
        {
            if (meta.Cached)
            {
                _intervalCached++;
            }

            if (!_measuring)
            {
                return;
            }

            _answers++;
            _responseBytes.Record(responseBytes);
            if (!meta.Found)
            {
                _withoutMeta++;
                return;
            }

            _cached += meta.Cached ? 1 : 0;
            _rows += meta.RowCount;
            _sources[meta.Source] = _sources.GetValueOrDefault(meta.Source) + 1;
            var server = (long)(meta.ExecutionTimeMs * 1e6);
            _serverNanos.Record(server);
            _overheadNanos.Record(clientNanos - server);
        }
    }

    public void StartMeasuring()
    {
        lock (_gate)
        {
            _measuring = true;
        }
    }

    public void StopMeasuring()
    {
        lock (_gate)
        {
            _measuring = false;
        }
    }

    /// <summary>Cached answers since the last call (the interval's).</summary>
    public long CloseInterval()
    {
        lock (_gate)
        {
            var cached = _intervalCached;
            _intervalCached = 0;
            return cached;
        }
    }

    public QueryAnswerSnapshot Snapshot()
    {
        lock (_gate)
        {
            var server = new LogLinearHistogram();
            server.Add(_serverNanos);
            var overhead = new LogLinearHistogram();
            overhead.Add(_overheadNanos);
            var bytes = new LogLinearHistogram();
            bytes.Add(_responseBytes);
            return new QueryAnswerSnapshot(
                _answers,
                _cached,
                _withoutMeta,
                _rows,
                new Dictionary<string, long>(_sources, StringComparer.Ordinal),
                server,
                overhead,
                bytes);
        }
    }
}

/// <summary>
/// The <c>meta</c> of one query answer: <c>execution_time_ms</c> (the server's time inside its
/// executor, before the JSON is written), <c>row_count</c>, <c>cached</c> and <c>source</c>.
/// </summary>
public readonly record struct QueryMeta(bool Found, double ExecutionTimeMs, long RowCount, bool Cached, string Source)
{
    public static QueryMeta None => new(false, 0, 0, false, "");
}

/// <summary>Steady-state answer statistics of a query run.</summary>
/// <param name="Answers">2xx answers measured.</param>
/// <param name="WithoutMeta">Of those, answers whose body had no readable <c>meta</c>.</param>
/// <param name="ServerNanos">The answers' <c>execution_time_ms</c>, in nanoseconds.</param>
/// <param name="OverheadNanos">Client latency − server execution time per answer: request parsing and validation, JSON writing, transfer, reading.</param>
/// <param name="ResponseBytes">Body sizes.</param>
public sealed record QueryAnswerSnapshot(
    long Answers,
    long Cached,
    long WithoutMeta,
    long Rows,
    IReadOnlyDictionary<string, long> Sources,
    LogLinearHistogram ServerNanos,
    LogLinearHistogram OverheadNanos,
    LogLinearHistogram ResponseBytes);
