using System.Buffers.Binary;
using AnalyticsHub.Contracts.V1;
using Google.Protobuf;

namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>
/// An <c>EventBatch</c> encoded once with Google.Protobuf, then re-sent many times with only the
/// bytes that must change rewritten in place: each event's id counter (17 characters at a fixed
/// offset), each event's <c>time_unix_nano</c> (fixed64, 8 bytes; one time for all, or one per
/// event with a <see cref="TimeSpread"/>) and the batch's
/// <c>sequence</c>, which is appended after the other fields (field order is free in protobuf, and
/// it is where an encoder puts field 3 anyway). Patching allocates nothing. One template per
/// sender: the buffer is rewritten by every <see cref="Patch"/>.
/// </summary>
/// <remarks>
/// <code>
/// buffer: [ 0A len AnalyticsEvent ]×N  [ 12 len producer_id ]  [ 18 varint(sequence) ]
///            └ 0A 24 "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx" 11 &lt;8 bytes LE time&gt; …
///                                         ^ counter offset      ^ time offset
/// </code>
/// </remarks>
public sealed class ProtoBatchTemplate
{
    private const byte SequenceTag = (3 << 3) | ProtoWire.WireVarint; // 0x18

    private readonly byte[] _buffer;
    private readonly int _prefixLength;
    private readonly int[] _counterOffsets;
    private readonly int[] _timeOffsets;

    private ProtoBatchTemplate(byte[] buffer, int prefixLength, int[] counterOffsets, int[] timeOffsets)
    {
        _buffer = buffer;
        _prefixLength = prefixLength;
        _counterOffsets = counterOffsets;
        _timeOffsets = timeOffsets;
    }

    public int EventCount => _counterOffsets.Length;

    /// <summary>Encoded size without the sequence field.</summary>
    public int PrefixLength => _prefixLength;

    /// <summary>
    /// Encodes <paramref name="batch"/> (its sequence must be 0: it is appended per send) and finds
    /// the patch offsets. Every event needs a 36-character event_id and a non-zero time; the ids'
    /// first 19 characters are set to <paramref name="ids"/>' run prefix here, once.
    /// </summary>
    public static ProtoBatchTemplate Create(EventBatch batch, EventIdGenerator ids)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(ids);
        if (batch.Sequence != 0)
        {
            throw new ArgumentException("The template's sequence must be 0; it is written per send.", nameof(batch));
        }

        var size = batch.CalculateSize();
        var buffer = new byte[size + 1 + ProtoWire.MaxVarintLength];
        batch.WriteTo(buffer.AsSpan(0, size));

        var counters = new int[batch.Events.Count];
        var times = new int[batch.Events.Count];
        var span = buffer.AsSpan(0, size);
        var position = 0;
        var index = 0;
        while (position < span.Length)
        {
            var tag = ProtoWire.ReadVarint(span, ref position);
            if (tag != ((1 << 3) | ProtoWire.WireLengthDelimited))
            {
                ProtoWire.Skip(span, ref position, (int)(tag & 7));
                continue;
            }

            var length = (int)ProtoWire.ReadVarint(span, ref position);
            FindEventOffsets(span.Slice(position, length), position, index, out counters[index], out times[index]);
            position += length;
            index++;
        }

        foreach (var offset in counters)
        {
            ids.PrefixText.CopyTo(buffer.AsSpan(offset - EventIdGenerator.CounterOffset));
        }

        return new ProtoBatchTemplate(buffer, size, counters, times);
    }

    /// <summary>
    /// Rewrites the ids (counters <paramref name="firstCounter"/> … + N-1, in event order), the
    /// event times and the sequence; returns the encoded batch, valid until the next patch. With a
    /// <paramref name="spread"/>, each event gets its own time drawn from the window before
    /// <paramref name="timeUnixNano"/>; without, every event gets <paramref name="timeUnixNano"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Patch(ulong firstCounter, ulong timeUnixNano, ulong sequence, TimeSpread? spread = null)
    {
        var buffer = _buffer;
        var counters = _counterOffsets;
        var times = _timeOffsets;
        if (spread is null)
        {
            for (var i = 0; i < counters.Length; i++)
            {
                EventIdGenerator.WriteCounter(firstCounter + (ulong)i, buffer.AsSpan(counters[i], EventIdGenerator.CounterLength));
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(times[i], 8), timeUnixNano);
            }
        }
        else
        {
            for (var i = 0; i < counters.Length; i++)
            {
                EventIdGenerator.WriteCounter(firstCounter + (ulong)i, buffer.AsSpan(counters[i], EventIdGenerator.CounterLength));
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(times[i], 8), spread.Sample(timeUnixNano));
            }
        }

        var length = _prefixLength;
        if (sequence != 0)
        {
            buffer[length++] = SequenceTag;
            length += ProtoWire.WriteVarint(buffer.AsSpan(length), sequence);
        }

        return new ReadOnlyMemory<byte>(buffer, 0, length);
    }

    private static void FindEventOffsets(ReadOnlySpan<byte> message, int baseOffset, int index, out int counterOffset, out int timeOffset)
    {
        counterOffset = -1;
        timeOffset = -1;
        var position = 0;
        while (position < message.Length)
        {
            var tag = ProtoWire.ReadVarint(message, ref position);
            var field = tag >> 3;
            var wire = (int)(tag & 7);
            if (field == AnalyticsEvent.EventIdFieldNumber && wire == ProtoWire.WireLengthDelimited)
            {
                var length = (int)ProtoWire.ReadVarint(message, ref position);
                if (length != EventIdGenerator.TextLength)
                {
                    throw new ArgumentException($"Event {index}: event_id must be {EventIdGenerator.TextLength} characters, not {length}.");
                }

                counterOffset = baseOffset + position + EventIdGenerator.CounterOffset;
                position += length;
            }
            else if (field == AnalyticsEvent.TimeUnixNanoFieldNumber && wire == ProtoWire.WireFixed64)
            {
                timeOffset = baseOffset + position;
                position += 8;
            }
            else
            {
                ProtoWire.Skip(message, ref position, wire);
            }
        }

        if (counterOffset < 0 || timeOffset < 0)
        {
            throw new ArgumentException($"Event {index} needs an event_id and a non-zero time_unix_nano to patch.");
        }
    }
}
