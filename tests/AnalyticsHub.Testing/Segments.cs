using System.Buffers;
using Xunit;

namespace AnalyticsHub.Testing;

/// <summary>How parser input is cut into <see cref="ReadOnlySequence{T}"/> segments.</summary>
public enum Layout
{
    /// <summary>One segment holding everything.</summary>
    Contiguous,

    /// <summary>One segment per byte.</summary>
    OneByteSegments,

    /// <summary>Segments of 1–9 bytes at seeded random split points.</summary>
    RandomSegments,

    /// <summary>Random segments of 0–6 bytes: empty segments included, as pipes may produce them.</summary>
    RandomSegmentsWithEmpty,
}

/// <summary>Builds multi-segment sequences from a byte array; every segment gets its own array.</summary>
public static class Segments
{
    public static TheoryData<Layout> AllLayouts => [Layout.Contiguous, Layout.OneByteSegments, Layout.RandomSegments, Layout.RandomSegmentsWithEmpty];

    public static ReadOnlySequence<byte> Build(ReadOnlySpan<byte> data, Layout layout, int seed = 42) =>
        Build(data, Lengths(data.Length, layout, seed));

    /// <summary>Cuts <paramref name="data"/> into segments of the given lengths (which must add up to its length).</summary>
    public static ReadOnlySequence<byte> Build(ReadOnlySpan<byte> data, IReadOnlyList<int> lengths)
    {
        if (lengths.Sum() != data.Length)
        {
            throw new ArgumentException("Segment lengths must add up to the data length.", nameof(lengths));
        }

        if (lengths.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        var offset = 0;
        foreach (var length in lengths)
        {
            var segment = new Segment(data.Slice(offset, length).ToArray());
            offset += length;
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Append(segment);
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    public static IReadOnlyList<int> Lengths(int total, Layout layout, int seed = 42)
    {
        switch (layout)
        {
            case Layout.Contiguous:
                return [total];
            case Layout.OneByteSegments:
                return Enumerable.Repeat(1, total).ToArray();
            case Layout.RandomSegments:
            case Layout.RandomSegmentsWithEmpty:
                var random = new Random(seed);
                var (min, max) = layout == Layout.RandomSegments ? (1, 10) : (0, 7);
                var lengths = new List<int>();
                if (layout == Layout.RandomSegmentsWithEmpty)
                {
                    lengths.Add(0); // a leading empty segment: FirstSpan is empty
                }

                var left = total;
                while (left > 0)
                {
                    var next = Math.Min(left, random.Next(min, max));
                    lengths.Add(next);
                    left -= next;
                }

                return lengths;
            default:
                throw new ArgumentOutOfRangeException(nameof(layout));
        }
    }

    public static int SegmentCount(in ReadOnlySequence<byte> sequence)
    {
        var count = 0;
        foreach (var _ in sequence)
        {
            count++;
        }

        return count;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data)
        {
            Memory = data;
        }

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
