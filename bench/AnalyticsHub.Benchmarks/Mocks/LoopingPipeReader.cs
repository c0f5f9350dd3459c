using System.Buffers;
using System.IO.Pipelines;

namespace AnalyticsHub.Benchmarks.Mocks;

/// <summary>
/// A <see cref="PipeReader"/> over a pre-built buffer of whole frames that never ends: once
/// everything is consumed it starts again from the first byte. Every read completes
/// synchronously with all unconsumed bytes, like a socket pipe that is always ahead of its
/// reader, so a benchmark reading from it measures the reader and nothing upstream of it.
/// </summary>
public sealed class LoopingPipeReader : PipeReader
{
    private readonly ReadOnlySequence<byte> _data;
    private SequencePosition _consumed;

    public LoopingPipeReader(ReadOnlySequence<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("The buffer must not be empty.", nameof(data));
        }

        _data = data;
        _consumed = data.Start;
    }

    /// <summary>How many times the reader has consumed the whole buffer and started again.</summary>
    public long Laps { get; private set; }

    public override bool TryRead(out ReadResult result)
    {
        var unread = _data.Slice(_consumed);
        if (unread.IsEmpty)
        {
            Laps++;
            _consumed = _data.Start;
            unread = _data;
        }

        result = new ReadResult(unread, isCanceled: false, isCompleted: false);
        return true;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        TryRead(out var result);
        return new ValueTask<ReadResult>(result);
    }

    public override void AdvanceTo(SequencePosition consumed) => _consumed = consumed;

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _consumed = consumed;

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
