using AnalyticsHub.Core.Events;
using AnalyticsHub.Protocol.Events;
using static AnalyticsHub.Protocol.Ingest.IngestRecordFormat;

namespace AnalyticsHub.Protocol.Ingest;

/// <summary>
/// Reads a WAL record's envelope and dead letters (<see cref="IngestRecordFormat"/>). Events are
/// decoded with <see cref="EventBatchDecoder.TryDecodeRecord"/>. Nothing throws on malformed
/// input: a record that does not parse returns false.
/// </summary>
public static class IngestRecordReader
{
    /// <summary>Reads the envelope: producer, sequence and the batch's counts.</summary>
    public static bool TryReadInfo(ReadOnlySpan<byte> record, out IngestRecordInfo info)
    {
        info = default;
        var reader = new ProtoReader(record, new ArenaSlice(0, record.Length));
        ArenaSlice producer = default;
        ulong sequence = 0, received = 0, accepted = 0, rejected = 0, duplicates = 0;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var type))
            {
                return false;
            }

            bool ok;
            switch (field)
            {
                case ProducerId when type == WireType.LengthDelimited:
                    ok = reader.TryReadLengthDelimited(out producer);
                    break;
                case Sequence when type == WireType.Varint:
                    ok = reader.TryReadVarint(out sequence);
                    break;
                case Info when type == WireType.LengthDelimited:
                    ok = reader.TryReadLengthDelimited(out var block)
                        && TryReadInfoBlock(record, block, out received, out accepted, out rejected, out duplicates);
                    break;
                default:
                    ok = reader.TrySkip(type);
                    break;
            }
            if (!ok)
            {
                return false;
            }
        }

        info = new IngestRecordInfo(producer, sequence, unchecked((long)received), (uint)accepted, (uint)rejected, (uint)duplicates);
        return true;
    }

    /// <summary>Adds the record's dead letters to <paramref name="into"/> (allocates: a cold path).</summary>
    public static bool TryReadDeadLetters(ReadOnlySpan<byte> record, ICollection<DeadLetterEntry> into)
    {
        var reader = new ProtoReader(record, new ArenaSlice(0, record.Length));
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var type))
            {
                return false;
            }

            if (field == DeadLetters && type == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var block) || !TryReadDeadLetter(record, block, out var entry))
                {
                    return false;
                }
                into.Add(entry);
            }
            else if (!reader.TrySkip(type))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadInfoBlock(
        ReadOnlySpan<byte> record, ArenaSlice block, out ulong received, out ulong accepted, out ulong rejected, out ulong duplicates)
    {
        received = accepted = rejected = duplicates = 0;
        var reader = new ProtoReader(record, block);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var type))
            {
                return false;
            }

            var ok = (field, type) switch
            {
                (InfoReceivedUnixNano, WireType.Fixed64) => reader.TryReadFixed64(out received),
                (InfoAccepted, WireType.Varint) => reader.TryReadVarint(out accepted),
                (InfoRejected, WireType.Varint) => reader.TryReadVarint(out rejected),
                (InfoDuplicates, WireType.Varint) => reader.TryReadVarint(out duplicates),
                _ => reader.TrySkip(type),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadDeadLetter(ReadOnlySpan<byte> record, ArenaSlice block, out DeadLetterEntry entry)
    {
        entry = default!;
        var reader = new ProtoReader(record, block);
        ArenaSlice raw = default, code = default, message = default, eventId = default, tenant = default;
        ulong index = 0, module = 0;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var type))
            {
                return false;
            }

            var ok = (field, type) switch
            {
                (DeadLetterEvent, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out raw),
                (DeadLetterIndex, WireType.Varint) => reader.TryReadVarint(out index),
                (DeadLetterCode, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out code),
                (DeadLetterMessage, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out message),
                (DeadLetterEventId, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out eventId),
                (DeadLetterSourceModule, WireType.Varint) => reader.TryReadVarint(out module),
                (DeadLetterTenantId, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out tenant),
                _ => reader.TrySkip(type),
            };
            if (!ok)
            {
                return false;
            }
        }

        entry = new DeadLetterEntry(
            record.Slice(raw.Offset, raw.Length).ToArray(),
            (int)Math.Min(index, int.MaxValue),
            Text(record, code),
            Text(record, message),
            Text(record, eventId),
            module > byte.MaxValue ? (SourceModule)byte.MaxValue : (SourceModule)module,
            Text(record, tenant));
        return true;
    }

    private static string Text(ReadOnlySpan<byte> record, ArenaSlice slice) =>
        slice.Length == 0 ? "" : System.Text.Encoding.UTF8.GetString(record.Slice(slice.Offset, slice.Length));
}

/// <summary>A WAL record's envelope. <see cref="ProducerId"/> is a slice of the record.</summary>
public readonly record struct IngestRecordInfo(
    ArenaSlice ProducerId, ulong Sequence, long ReceivedUnixNano, uint Accepted, uint Rejected, uint Duplicates);

/// <summary>One dead letter as stored in a WAL record.</summary>
/// <param name="Event">The event's original protobuf bytes.</param>
/// <param name="Index">Its position in the batch it arrived in.</param>
public sealed record DeadLetterEntry(
    byte[] Event, int Index, string Code, string Message, string EventId, SourceModule SourceModule, string TenantId);
