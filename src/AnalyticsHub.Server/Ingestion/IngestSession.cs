using System.Buffers;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Ingest;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>
/// One call's reusable ingest buffers: the decoded batch (arena + rows) and the WAL record
/// being built. A stream reuses them for every message, so steady-state ingestion allocates
/// per batch at most, never per event. Not thread-safe.
/// </summary>
public sealed class IngestSession : IDisposable
{
    public EventBatch Batch { get; } = new();

    public IngestRecordWriter RecordWriter { get; } = new();

    /// <summary>The event ids of the last batch's rejections (scratch for the ack).</summary>
    internal string[] RejectedEventIds = [];

    /// <summary>Copies one request message into the batch and decodes it; an error text when the envelope is malformed or too big.</summary>
    public string? Load(in ReadOnlySequence<byte> message, int maxEvents)
    {
        Batch.Load(message);
        return Decode(maxEvents);
    }

    /// <summary>Decodes the loaded bytes again (after a refused attempt rewrote the rows).</summary>
    public string? Decode(int maxEvents)
    {
        Batch.ClearRows();
        RejectedEventIds = [];
        if (!EventBatchDecoder.TryDecode(Batch, out var error))
        {
            return error.ToString();
        }

        if (Batch.Count > maxEvents)
        {
            return $"The batch has {Batch.Count:N0} events; at most {maxEvents:N0} are accepted per batch (Hub:Ingest:MaxEventsPerBatch).";
        }

        return null;
    }

    public void Dispose()
    {
        Batch.Dispose();
        RecordWriter.Dispose();
    }
}
