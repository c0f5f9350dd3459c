using System.IO.Pipelines;

namespace AnalyticsHub.Protocol.Tests.Support;

/// <summary>How a byte stream reaches a <see cref="PipeReader"/> in reader tests.</summary>
public enum Feed
{
    /// <summary>One segment, all at once.</summary>
    Contiguous,

    /// <summary>One-byte segments, revealed one per read.</summary>
    OneByteSegments,

    /// <summary>Random 1–9 byte segments, revealed one per read.</summary>
    RandomSegments,

    /// <summary>Random 0–6 byte segments (empty ones included), revealed one per read.</summary>
    RandomSegmentsWithEmpty,

    /// <summary>One-byte segments all buffered at once (the BCL's sequence PipeReader).</summary>
    OneByteSegmentsAllAtOnce,

    /// <summary>A real <see cref="Pipe"/> written in random small chunks, flushing after each.</summary>
    TrickledPipe,
}

/// <summary>Serves test bytes through a <see cref="PipeReader"/> in one of the <see cref="Feed"/> shapes.</summary>
public sealed class FeedSource : IAsyncDisposable
{
    private readonly Pipe? _pipe;
    private readonly Task? _producer;
    private readonly CancellationTokenSource _stop = new();

    private FeedSource(PipeReader reader)
    {
        Reader = reader;
    }

    private FeedSource(byte[] data, bool complete, int seed)
    {
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        Reader = _pipe.Reader;
        var lengths = Segments.Lengths(data.Length, Layout.RandomSegments, seed);
        _producer = Task.Run(() => ProduceAsync(_pipe.Writer, data, lengths, complete, _stop.Token));
    }

    public static TheoryData<Feed> All =>
    [
        Feed.Contiguous,
        Feed.OneByteSegments,
        Feed.RandomSegments,
        Feed.RandomSegmentsWithEmpty,
        Feed.OneByteSegmentsAllAtOnce,
        Feed.TrickledPipe,
    ];

    /// <summary>The feeds that can leave the stream open after the data (all but the BCL's sequence reader).</summary>
    public static TheoryData<Feed> Open =>
    [
        Feed.Contiguous,
        Feed.OneByteSegments,
        Feed.RandomSegments,
        Feed.RandomSegmentsWithEmpty,
        Feed.TrickledPipe,
    ];

    public PipeReader Reader { get; }

    /// <summary>The contract-checking reader, when the feed uses one.</summary>
    public SegmentedPipeReader? Segmented => Reader as SegmentedPipeReader;

    /// <param name="complete">Whether the stream ends after <paramref name="data"/> (false: it stays open).</param>
    public static FeedSource Create(Feed feed, byte[] data, bool complete = true, int seed = 7) => feed switch
    {
        Feed.Contiguous => new(new SegmentedPipeReader(Segments.Build(data, Layout.Contiguous), complete)),
        Feed.OneByteSegments => new(new SegmentedPipeReader(Segments.Build(data, Layout.OneByteSegments), complete)),
        Feed.RandomSegments => new(new SegmentedPipeReader(Segments.Build(data, Layout.RandomSegments, seed), complete)),
        Feed.RandomSegmentsWithEmpty => new(new SegmentedPipeReader(Segments.Build(data, Layout.RandomSegmentsWithEmpty, seed), complete)),
        Feed.OneByteSegmentsAllAtOnce => complete
            ? new(PipeReader.Create(Segments.Build(data, Layout.OneByteSegments)))
            : throw new ArgumentException("The BCL sequence reader always completes.", nameof(complete)),
        Feed.TrickledPipe => new(data, complete, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(feed)),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_producer is not null)
        {
            try
            {
                await _producer.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private static async Task ProduceAsync(PipeWriter writer, byte[] data, IReadOnlyList<int> lengths, bool complete, CancellationToken stop)
    {
        var offset = 0;
        foreach (var length in lengths)
        {
            await writer.WriteAsync(data.AsMemory(offset, length), stop);
            offset += length;
        }

        if (complete)
        {
            await writer.CompleteAsync();
        }
    }
}
