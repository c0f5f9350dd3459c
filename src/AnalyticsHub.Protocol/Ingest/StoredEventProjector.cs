using System.Text.Encodings.Web;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Events;

namespace AnalyticsHub.Protocol.Ingest;

/// <summary>
/// Turns WAL records (<see cref="IngestRecordFormat"/>) into the rows stores keep
/// (<see cref="StoredEvent"/>): the record's accepted events with the hub's normalized values,
/// the seed's renames applied again (they depend on nothing but the event), tags and the rest of
/// the payload rendered as JSON. One projector per drainer; it reuses its buffers.
/// </summary>
public sealed class StoredEventProjector : IDisposable
{
    private static readonly byte[] DefaultTenant = "default"u8.ToArray();

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Stores keep UTF-8 as is; nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly EventBatch _scratch = new();
    private Utf8JsonWriter? _json;

    /// <summary>
    /// Appends the accepted events of the record at <paramref name="address"/> to
    /// <paramref name="into"/>. Returns false (adding nothing) when the record is not a
    /// well-formed ingest record — it was written by this hub, so that is damage, not input.
    /// </summary>
    public bool TryProject(long address, ReadOnlySpan<byte> record, StoredEventBatch into, out BatchDecodeError error)
    {
        if (!IngestRecordReader.TryReadInfo(record, out var info))
        {
            error = default;
            return false;
        }

        _scratch.Load(record);
        if (!EventBatchDecoder.TryDecodeRecord(_scratch, out error))
        {
            return false;
        }

        var rows = _scratch.Rows;
        for (int i = 0; i < rows.Length; i++)
        {
            ref var source = ref rows[i];
            if (source.DecodeError != EventDecodeError.None)
            {
                continue; // cannot happen for an accepted event; never store half an event
            }

            EventNormalizer.PromoteRenamedFields(_scratch, ref source);
            ref var row = ref into.AddRow();
            row.WalAddress = address;
            row.WalIndex = i;
            var id = _scratch.Bytes(source.EventId);
            Uuid.TryParse(id, out row.IdHigh, out row.IdLow);
            row.EventId = into.AddText(id);
            row.TenantId = into.AddText(source.TenantId.IsEmpty ? DefaultTenant : _scratch.Bytes(source.TenantId));
            row.TimeUnixNano = source.TimeUnixNano;
            row.ReceivedUnixNano = info.ReceivedUnixNano;
            row.SourceModule = source.SourceModule;
            row.EventType = source.EventType;
            row.Severity = source.Severity;
            row.PayloadKind = source.PayloadKind;
            row.ValueDimension = source.ValueDimension;
            row.SchemaVersion = Copy(into, source.SchemaVersion);
            row.CorrelationId = Copy(into, source.CorrelationId);
            row.ParentEventId = Copy(into, source.ParentEventId);
            row.Environment = Copy(into, source.Environment);
            row.AssetId = Copy(into, source.AssetId);
            row.Name = Copy(into, source.PayloadName);
            row.Value = source.PayloadValue;
            row.Unit = source.ValueDimension == UnitDimension.None ? Copy(into, source.PayloadUnit) : into.AddText(CanonicalUnit(source.ValueDimension));
            row.InputTokens = source.InputTokens;
            row.OutputTokens = source.OutputTokens;
            row.TagsJson = WriteTags(into, ref source);
            row.PayloadJson = WritePayload(into, ref source);
        }

        return true;
    }

    /// <summary>
    /// The original bytes of the accepted event at <paramref name="index"/> of a record (with the
    /// hub's normalized block), e.g. to dead-letter an event a store refused; null when there is none.
    /// </summary>
    public byte[]? EventBytes(ReadOnlySpan<byte> record, int index)
    {
        _scratch.Load(record);
        if (!EventBatchDecoder.TryDecodeRecord(_scratch, out _) || (uint)index >= (uint)_scratch.Count)
        {
            return null;
        }

        return _scratch.Bytes(_scratch[index].Raw).ToArray();
    }

    public void Dispose()
    {
        _json?.Dispose();
        _scratch.Dispose();
    }

    /// <summary>The unit a normalized value is in.</summary>
    public static ReadOnlySpan<byte> CanonicalUnit(UnitDimension dimension) => dimension switch
    {
        UnitDimension.Duration => "ms"u8,
        UnitDimension.Size => "bytes"u8,
        UnitDimension.Rate => "per_second"u8,
        UnitDimension.Usd => "USD"u8,
        _ => default,
    };

    private ArenaSlice Copy(StoredEventBatch into, ArenaSlice slice) => slice.IsEmpty ? default : into.AddText(_scratch.Bytes(slice));

    private Utf8JsonWriter Json(StoredEventBatch into)
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(into.TextWriter, JsonOptions);
        }
        else
        {
            _json.Reset(into.TextWriter);
        }

        return _json;
    }

    private ArenaSlice WriteTags(StoredEventBatch into, ref EventRow source)
    {
        var json = Json(into);
        json.WriteStartObject();
        foreach (var pair in _scratch.PairsOf(source.TagStart, source.TagCount))
        {
            json.WriteString(_scratch.Bytes(pair.Key), _scratch.Bytes(pair.Value));
        }

        json.WriteEndObject();
        json.Flush();
        return into.EndText();
    }

    private ArenaSlice WritePayload(StoredEventBatch into, ref EventRow source)
    {
        var json = Json(into);
        json.WriteStartObject();
        if (!source.Payload.IsEmpty)
        {
            PayloadJson.Write(json, _scratch, source);
        }

        json.WriteEndObject();
        json.Flush();
        return into.EndText();
    }
}
