using System.Buffers;

namespace AnalyticsHub.Benchmarks.Mocks;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> over separate fixed-size blocks, as a socket pipe holds data.</summary>
public static class SegmentedBuffer
{
    /// <param name="bytes">The content.</param>
    /// <param name="blockSize">Bytes per segment; 0 or less for one contiguous segment.</param>
    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> bytes, int blockSize)
    {
        if (blockSize <= 0 || bytes.Length <= blockSize)
        {
            return new ReadOnlySequence<byte>(bytes.ToArray());
        }

        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += blockSize)
        {
            var block = bytes.Slice(offset, Math.Min(blockSize, bytes.Length - offset)).ToArray();
            last = last is null ? first = new Segment(block, 0) : last.Append(block);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
