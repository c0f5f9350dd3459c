using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Events;

/// <summary>
/// Decodes an <c>analyticshub.v1.EventBatch</c> held in an <see cref="EventBatch"/>'s arena into
/// its rows, without Google.Protobuf objects and without allocating. Unknown fields are skipped;
/// a known field with the wrong wire type is an error. A malformed event is marked on its row
/// (<see cref="EventRow.DecodeError"/>) and the rest of the batch is decoded; only a malformed
/// batch envelope fails the whole message.
/// </summary>
public static class EventBatchDecoder
{
    /// <summary>Most map entries one event may carry (tags plus payload map), a bound on hostile input.</summary>
    public const int MaxPairsPerEvent = 256;

    // analyticshub.v1.EventBatch
    private const int BatchEvents = 1;
    private const int BatchProducerId = 2;
    private const int BatchSequence = 3;

    /// <summary>Decodes the batch loaded in <paramref name="batch"/>; false when its envelope is malformed.</summary>
    public static bool TryDecode(EventBatch batch, out BatchDecodeError error) => TryDecode(batch, hubFields: false, out error);

    /// <summary>
    /// Decodes a WAL record (<see cref="Ingest.IngestRecordFormat"/>) loaded in <paramref name="batch"/>:
    /// its accepted events, with the hub's normalized values in place of the sent ones.
    /// </summary>
    public static bool TryDecodeRecord(EventBatch batch, out BatchDecodeError error) => TryDecode(batch, hubFields: true, out error);

    private static bool TryDecode(EventBatch batch, bool hubFields, out BatchDecodeError error)
    {
        var reader = new ProtoReader(batch.Arena, new ArenaSlice(0, batch.ArenaLength));
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return Failed(ref reader, 0, out error);
            }

            switch (field)
            {
                case BatchEvents when wireType == WireType.LengthDelimited:
                    if (!reader.TryReadLengthDelimited(out var eventBytes))
                    {
                        return Failed(ref reader, field, out error);
                    }

                    DecodeEvent(batch, eventBytes, hubFields);
                    break;

                case BatchProducerId when wireType == WireType.LengthDelimited:
                    if (!reader.TryReadLengthDelimited(out var producer))
                    {
                        return Failed(ref reader, field, out error);
                    }

                    batch.ProducerId = producer;
                    break;

                case BatchSequence when wireType == WireType.Varint:
                    if (!reader.TryReadVarint(out var sequence))
                    {
                        return Failed(ref reader, field, out error);
                    }

                    batch.Sequence = sequence;
                    break;

                case BatchEvents or BatchProducerId or BatchSequence:
                    error = new BatchDecodeError(EventDecodeError.WrongWireType, field);
                    return false;

                default:
                    if (!reader.TrySkip(wireType))
                    {
                        return Failed(ref reader, field, out error);
                    }

                    break;
            }
        }

        error = default;
        return true;
    }

    private static void DecodeEvent(EventBatch batch, ArenaSlice eventBytes, bool hubFields)
    {
        var pairsBefore = batch.PairCount;
        ref var row = ref batch.AddRow();
        row.Raw = eventBytes;
        var reader = new ProtoReader(batch.Arena, eventBytes);
        if (!EventFields.TryRead(ref reader, batch, ref row, out var failedField, hubFields))
        {
            // Keep only what identifies the event for its rejection.
            var raw = row.Raw;
            var id = row.EventId;
            row = default;
            row.Raw = raw;
            row.EventId = id;
            row.DecodeError = reader.Error == EventDecodeError.None ? EventDecodeError.WrongWireType : reader.Error;
            row.DecodeErrorField = failedField;
            batch.TruncatePairs(pairsBefore);
        }
    }

    private static bool Failed(ref ProtoReader reader, int field, out BatchDecodeError error)
    {
        error = new BatchDecodeError(reader.Error, field);
        return false;
    }
}

/// <summary>Why a batch envelope could not be decoded.</summary>
public readonly record struct BatchDecodeError(EventDecodeError Kind, int Field)
{
    public override string ToString() => $"Malformed EventBatch: {EventDecodeErrorText.Describe(Kind, Field)}";
}
