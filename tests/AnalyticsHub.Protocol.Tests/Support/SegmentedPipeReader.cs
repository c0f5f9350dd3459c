using System.Buffers;
using System.IO.Pipelines;

namespace AnalyticsHub.Protocol.Tests.Support;

/// <summary>
/// A <see cref="PipeReader"/> over a prepared multi-segment sequence that reveals it one segment
/// per read (like bytes trickling off a socket), and that checks the reader protocol: no read
/// while one is outstanding, no AdvanceTo without a read, consumed ≤ examined ≤ the buffer end,
/// consumed never moving backwards. A misuse throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class SegmentedPipeReader : PipeReader
{
    private readonly ReadOnlySequence<byte> _data;
    private readonly long[] _segmentEnds;
    private readonly bool _completeAtEnd;
    private TaskCompletionSource _cancelPending = NewSignal();
    private int _revealed;
    private long _consumed;
    private long _examined;
    private bool _reading;

    /// <param name="data">Everything the reader will ever see.</param>
    /// <param name="completeAtEnd">False: after the last byte, reads wait (the writer never completes).</param>
    public SegmentedPipeReader(ReadOnlySequence<byte> data, bool completeAtEnd = true)
    {
        _data = data;
        _completeAtEnd = completeAtEnd;
        var ends = new List<long>();
        long end = 0;
        foreach (var segment in data)
        {
            end += segment.Length;
            ends.Add(end);
        }

        _segmentEnds = [.. ends];
    }

    /// <summary>Bytes the consumer has released with AdvanceTo.</summary>
    public long Consumed => _consumed;

    public bool IsReaderCompleted { get; private set; }

    /// <summary>Number of ReadAsync calls that had to wait for more data (reveal a segment).</summary>
    public int Reveals { get; private set; }

    private long Visible => _revealed == 0 ? 0 : _segmentEnds[_revealed - 1];

    private bool AllVisible => _revealed == _segmentEnds.Length;

    private bool IsWriterCompleted => AllVisible && _completeAtEnd;

    public override bool TryRead(out ReadResult result)
    {
        StartRead();
        if (Visible > _consumed || IsWriterCompleted)
        {
            result = CurrentResult(false);
            return true;
        }

        _reading = false;
        result = default;
        return false;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        StartRead();
        cancellationToken.ThrowIfCancellationRequested();
        if (_examined >= Visible && !IsWriterCompleted)
        {
            if (!AllVisible)
            {
                // Reveal at least one more byte (empty segments ride along with the next non-empty one).
                Reveals++;
                var before = Visible;
                while (!AllVisible && Visible == before)
                {
                    _revealed++;
                }

                await Task.Yield();
            }
            else
            {
                // The writer never completes: wait for cancellation, like a pipe with a silent peer.
                var cancelled = _cancelPending.Task;
                var waited = await Task.WhenAny(cancelled, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
                if (waited != cancelled)
                {
                    _reading = false;
                    await waited.ConfigureAwait(false); // throws OperationCanceledException
                }

                _cancelPending = NewSignal();
                return CurrentResult(true);
            }
        }

        return CurrentResult(false);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_reading)
        {
            throw new InvalidOperationException("AdvanceTo was called without an outstanding read.");
        }

        var consumedOffset = _data.GetOffset(consumed);
        var examinedOffset = _data.GetOffset(examined);
        if (consumedOffset < _consumed || consumedOffset > examinedOffset || examinedOffset > Visible)
        {
            throw new InvalidOperationException(
                $"Invalid AdvanceTo: consumed {consumedOffset} (was {_consumed}), examined {examinedOffset}, buffered up to {Visible}.");
        }

        _consumed = consumedOffset;
        _examined = examinedOffset;
        _reading = false;
    }

    public override void CancelPendingRead() => _cancelPending.TrySetResult();

    public override void Complete(Exception? exception = null)
    {
        IsReaderCompleted = true;
        _reading = false;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void StartRead()
    {
        if (IsReaderCompleted)
        {
            throw new InvalidOperationException("Read after the reader was completed.");
        }

        if (_reading)
        {
            throw new InvalidOperationException("A read was started while the previous one was not advanced.");
        }

        _reading = true;
    }

    private ReadResult CurrentResult(bool cancelled) =>
        new(_data.Slice(_consumed, Visible - _consumed), cancelled, IsWriterCompleted);
}
