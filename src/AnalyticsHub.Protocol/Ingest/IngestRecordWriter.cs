using System.Buffers;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Protocol.Events;
using static AnalyticsHub.Protocol.Ingest.IngestRecordFormat;

namespace AnalyticsHub.Protocol.Ingest;

/// <summary>
/// Builds the WAL record (<see cref="IngestRecordFormat"/>) of an admitted batch into a pooled,
/// reusable buffer: accepted rows (no rejection, not duplicates) as events with their
/// normalized block, rejected rows as dead letters. One writer per connection; not thread-safe.
/// </summary>
public sealed class IngestRecordWriter : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length;

    /// <summary>The last record written.</summary>
    public ReadOnlySpan<byte> Record => _buffer.AsSpan(0, _length);

    /// <summary>Writes the record of <paramref name="batch"/>, whose rows carry their admission outcome.</summary>
    /// <param name="rejections">Codes and messages of the rejected rows, in row order.</param>
    public ReadOnlySpan<byte> Write(EventBatch batch, long receivedUnixNano, in AdmissionCounts counts, ReadOnlySpan<RejectionInfo> rejections)
    {
        EnsureCapacity(UpperBound(batch, rejections));
        var writer = new ProtoWriter(_buffer);
        var producer = batch.Bytes(batch.ProducerId);
        if (!producer.IsEmpty)
        {
            writer.WriteBytesField(ProducerId, producer);
        }
        if (batch.Sequence != 0)
        {
            writer.WriteVarintField(Sequence, batch.Sequence);
        }

        int infoLength = 9 + 1 + ProtoWriter.VarintLength(counts.Accepted) + 1 + ProtoWriter.VarintLength(counts.Rejected)
            + 1 + ProtoWriter.VarintLength(counts.Duplicates);
        writer.WriteLengthDelimitedHeader(Info, infoLength);
        writer.WriteFixed64Field(InfoReceivedUnixNano, unchecked((ulong)receivedUnixNano));
        writer.WriteVarintField(InfoAccepted, counts.Accepted);
        writer.WriteVarintField(InfoRejected, counts.Rejected);
        writer.WriteVarintField(InfoDuplicates, counts.Duplicates);

        foreach (ref readonly var row in batch.Rows)
        {
            if (row.Rejection == Core.Validation.Rejection.None && !row.IsDuplicate)
            {
                WriteEvent(ref writer, batch, row);
            }
        }

        foreach (ref readonly var rejection in rejections)
        {
            WriteDeadLetter(ref writer, batch, batch[rejection.Index], rejection);
        }

        _length = writer.Position;
        return Record;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    private static void WriteEvent(ref ProtoWriter writer, EventBatch batch, in EventRow row)
    {
        var raw = batch.Bytes(row.Raw);
        int normalized = 9 + 9 + 1 + ProtoWriter.VarintLength((ulong)row.ValueDimension) + 1 + ProtoWriter.VarintLength((ulong)row.Severity);
        int block = ProtoWriter.LengthDelimitedSize(EventNormalized, normalized);
        writer.WriteLengthDelimitedHeader(IngestRecordFormat.Events, raw.Length + block);
        writer.WriteRaw(raw);
        writer.WriteLengthDelimitedHeader(EventNormalized, normalized);
        writer.WriteFixed64Field(NormalizedTime, unchecked((ulong)row.TimeUnixNano));
        writer.WriteDoubleField(NormalizedValue, row.PayloadValue);
        writer.WriteVarintField(NormalizedDimension, (ulong)row.ValueDimension);
        writer.WriteVarintField(NormalizedSeverity, (ulong)row.Severity);
    }

    private static void WriteDeadLetter(ref ProtoWriter writer, EventBatch batch, in EventRow row, in RejectionInfo rejection)
    {
        var raw = batch.Bytes(row.Raw);
        var eventId = batch.Bytes(row.EventId);
        var tenant = batch.Bytes(row.TenantId);
        int length = DeadLetterLength(raw.Length, eventId.Length, tenant.Length, rejection, row.SourceModule);
        writer.WriteLengthDelimitedHeader(DeadLetters, length);
        writer.WriteBytesField(DeadLetterEvent, raw);
        writer.WriteVarintField(DeadLetterIndex, (uint)rejection.Index);
        writer.WriteStringField(DeadLetterCode, rejection.Code);
        writer.WriteStringField(DeadLetterMessage, rejection.Message);
        if (!eventId.IsEmpty)
        {
            writer.WriteBytesField(DeadLetterEventId, eventId);
        }
        if (row.SourceModule != SourceModule.Unspecified)
        {
            writer.WriteVarintField(DeadLetterSourceModule, (ulong)row.SourceModule);
        }
        if (!tenant.IsEmpty)
        {
            writer.WriteBytesField(DeadLetterTenantId, tenant);
        }
    }

    private static int DeadLetterLength(int raw, int eventId, int tenant, in RejectionInfo rejection, SourceModule module)
    {
        int length = ProtoWriter.LengthDelimitedSize(DeadLetterEvent, raw)
            + 1 + ProtoWriter.VarintLength((uint)rejection.Index)
            + ProtoWriter.LengthDelimitedSize(DeadLetterCode, System.Text.Encoding.UTF8.GetByteCount(rejection.Code))
            + ProtoWriter.LengthDelimitedSize(DeadLetterMessage, System.Text.Encoding.UTF8.GetByteCount(rejection.Message));
        if (eventId > 0)
        {
            length += ProtoWriter.LengthDelimitedSize(DeadLetterEventId, eventId);
        }
        if (module != SourceModule.Unspecified)
        {
            length += 1 + ProtoWriter.VarintLength((ulong)module);
        }
        if (tenant > 0)
        {
            length += ProtoWriter.LengthDelimitedSize(DeadLetterTenantId, tenant);
        }
        return length;
    }

    private static int UpperBound(EventBatch batch, ReadOnlySpan<RejectionInfo> rejections)
    {
        // Every event's bytes once (as an event or inside a dead letter), plus generous framing.
        long bound = 64 + batch.Bytes(batch.ProducerId).Length + batch.ArenaLength
            + ((long)batch.Count * (10 + MaxNormalizedBlockLength));
        foreach (ref readonly var rejection in rejections)
        {
            var row = batch[rejection.Index];
            bound += 64 + row.EventId.Length + row.TenantId.Length
                + System.Text.Encoding.UTF8.GetMaxByteCount(rejection.Code.Length)
                + System.Text.Encoding.UTF8.GetMaxByteCount(rejection.Message.Length);
        }
        return checked((int)bound);
    }

    private void EnsureCapacity(int length)
    {
        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }
    }
}

/// <summary>How a batch's events were judged.</summary>
public readonly record struct AdmissionCounts(uint Accepted, uint Rejected, uint Duplicates);

/// <summary>One rejected event of a batch: its index, stable code and human message.</summary>
public readonly record struct RejectionInfo(int Index, string Code, string Message);
