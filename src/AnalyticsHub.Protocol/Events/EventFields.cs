using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Events;

/// <summary>The fields of <c>analyticshub.v1.AnalyticsEvent</c> and its payloads, read onto an <see cref="EventRow"/>.</summary>
internal static class EventFields
{
    /// <summary>Reads one event; on failure <paramref name="failedField"/> names the field and the reader says why.</summary>
    /// <param name="hubFields">Read the hub's Normalized block (field 100) of a WAL record; from a client it is an unknown field.</param>
    public static bool TryRead(ref ProtoReader reader, EventBatch batch, ref EventRow row, out int failedField, bool hubFields = false)
    {
        failedField = 0;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            failedField = field;
            var ok = field switch
            {
                1 => ReadString(ref reader, wireType, out row.EventId),
                2 => wireType == WireType.Fixed64 && ReadFixed64(ref reader, out row.TimeUnixNano),
                3 => ReadEnum(ref reader, wireType, out row.SourceModule),
                4 => ReadEnum(ref reader, wireType, out row.EventType),
                5 => ReadString(ref reader, wireType, out row.SchemaVersion),
                6 => ReadString(ref reader, wireType, out row.CorrelationId),
                7 => ReadString(ref reader, wireType, out row.ParentEventId),
                8 => ReadEnum(ref reader, wireType, out row.Severity),
                9 => ReadString(ref reader, wireType, out row.Environment),
                10 => ReadMapEntry(ref reader, wireType, batch, ref row.TagStart, ref row.TagCount, row.PayloadPairCount),
                11 => ReadString(ref reader, wireType, out row.TenantId),
                12 => ReadString(ref reader, wireType, out row.AssetId),
                >= 20 and <= 26 => ReadPayload(ref reader, wireType, batch, ref row, (PayloadKind)field),
                Ingest.IngestRecordFormat.EventNormalized when hubFields => ReadNormalized(ref reader, wireType, batch, ref row),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        failedField = 0;
        return true;
    }

    /// <summary>
    /// Reads a payload message onto the row's payload columns. A later payload field replaces an
    /// earlier one (proto3 oneof: last wins), including its map entries' range.
    /// </summary>
    private static bool ReadPayload(ref ProtoReader reader, WireType wireType, EventBatch batch, ref EventRow row, PayloadKind kind)
    {
        if (wireType != WireType.LengthDelimited || !reader.TryReadLengthDelimited(out var payload))
        {
            return false;
        }

        row.PayloadKind = kind;
        row.Payload = payload;
        row.PayloadName = default;
        row.PayloadUnit = default;
        row.PayloadValue = 0;
        row.PayloadPairCount = 0;
        row.InputTokens = 0;
        row.OutputTokens = 0;

        var fields = new ProtoReader(batch.Arena, payload);
        while (!fields.IsAtEnd)
        {
            if (!fields.TryReadTag(out var field, out var type))
            {
                return Propagate(ref reader, ref fields);
            }

            var ok = PayloadSchema.Column(kind, field) switch
            {
                PayloadColumn.Name => ReadString(ref fields, type, out row.PayloadName),
                PayloadColumn.Unit => ReadString(ref fields, type, out row.PayloadUnit),
                PayloadColumn.Value => type == WireType.Fixed64 && fields.TryReadDouble(out row.PayloadValue),
                PayloadColumn.Map => ReadMapEntry(ref fields, type, batch, ref row.PayloadPairStart, ref row.PayloadPairCount, row.TagCount),
                PayloadColumn.InputTokens => type == WireType.Varint && fields.TryReadVarint(out row.InputTokens),
                PayloadColumn.OutputTokens => type == WireType.Varint && fields.TryReadVarint(out row.OutputTokens),
                PayloadColumn.OtherString => ReadString(ref fields, type, out _),
                PayloadColumn.OtherVarint => type == WireType.Varint && fields.TryReadVarint(out _),
                PayloadColumn.OtherDouble => type == WireType.Fixed64 && fields.TryReadDouble(out _),
                _ => fields.TrySkip(type),
            };
            if (!ok)
            {
                return Propagate(ref reader, ref fields);
            }
        }

        return true;
    }

    /// <summary>
    /// The hub's normalized values, replacing the decoded ones (see <see cref="Ingest.IngestRecordFormat"/>).
    /// A field 100 of another shape (a client's own, kept in the raw bytes) is skipped, not an
    /// error: the hub's block always follows it and is applied only when it parses whole.
    /// </summary>
    private static bool ReadNormalized(ref ProtoReader reader, WireType wireType, EventBatch batch, ref EventRow row)
    {
        if (wireType != WireType.LengthDelimited)
        {
            return reader.TrySkip(wireType);
        }

        if (!reader.TryReadLengthDelimited(out var block))
        {
            return false;
        }

        long time = row.TimeUnixNano;
        double value = row.PayloadValue;
        var dimension = row.ValueDimension;
        var severity = row.Severity;
        var fields = new ProtoReader(batch.Arena, block);
        while (!fields.IsAtEnd)
        {
            if (!fields.TryReadTag(out var field, out var type))
            {
                return true; // not the hub's block
            }

            var ok = field switch
            {
                Ingest.IngestRecordFormat.NormalizedTime => type == WireType.Fixed64 && ReadFixed64(ref fields, out time),
                Ingest.IngestRecordFormat.NormalizedValue => type == WireType.Fixed64 && fields.TryReadDouble(out value),
                Ingest.IngestRecordFormat.NormalizedDimension => ReadEnum(ref fields, type, out dimension),
                Ingest.IngestRecordFormat.NormalizedSeverity => ReadEnum(ref fields, type, out severity),
                _ => fields.TrySkip(type),
            };
            if (!ok)
            {
                return true; // not the hub's block
            }
        }

        row.TimeUnixNano = time;
        row.PayloadValue = value;
        row.ValueDimension = dimension;
        row.Severity = severity;
        return true;
    }

    /// <summary>A map entry: a message with key = 1 and value = 2, both strings (either may be absent).</summary>
    private static bool ReadMapEntry(ref ProtoReader reader, WireType wireType, EventBatch batch, ref int start, ref int count, int otherMapCount)
    {
        if (wireType != WireType.LengthDelimited || !reader.TryReadLengthDelimited(out var entry))
        {
            return false;
        }

        if (count + otherMapCount >= EventBatchDecoder.MaxPairsPerEvent)
        {
            reader.SetError(EventDecodeError.TooManyPairs);
            return false;
        }

        ArenaSlice key = default, value = default;
        var fields = new ProtoReader(batch.Arena, entry);
        while (!fields.IsAtEnd)
        {
            if (!fields.TryReadTag(out var field, out var type))
            {
                return Propagate(ref reader, ref fields);
            }

            var ok = field switch
            {
                1 => ReadString(ref fields, type, out key),
                2 => ReadString(ref fields, type, out value),
                _ => fields.TrySkip(type),
            };
            if (!ok)
            {
                return Propagate(ref reader, ref fields);
            }
        }

        var index = batch.AddPair(key, value);

        // Entries of one map are contiguous only if nothing else was added in between; a map
        // interleaved with another map's entries (legal, if unusual) is rejected rather than mixed up.
        if (count == 0)
        {
            start = index;
        }
        else if (start + count != index)
        {
            reader.SetError(EventDecodeError.InterleavedMaps);
            return false;
        }

        count++;
        return true;
    }

    private static bool ReadString(ref ProtoReader reader, WireType wireType, out ArenaSlice value)
    {
        value = default;
        return wireType == WireType.LengthDelimited && reader.TryReadLengthDelimited(out value);
    }

    private static bool ReadFixed64(ref ProtoReader reader, out long value)
    {
        var ok = reader.TryReadFixed64(out var raw);
        value = unchecked((long)raw);
        return ok;
    }

    private static bool ReadEnum<TEnum>(ref ProtoReader reader, WireType wireType, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (wireType != WireType.Varint || !reader.TryReadVarint(out var raw))
        {
            return false;
        }

        // Open enums: a value this build does not know is kept as 255 for validation to reject.
        var small = raw > byte.MaxValue ? byte.MaxValue : (byte)raw;
        value = System.Runtime.CompilerServices.Unsafe.As<byte, TEnum>(ref small);
        return true;
    }

    private static bool Propagate(ref ProtoReader outer, ref ProtoReader inner)
    {
        outer.SetError(inner.Error);
        return false;
    }
}
