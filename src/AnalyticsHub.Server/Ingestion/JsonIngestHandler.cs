using System.Buffers;
using System.Text.Json;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Json;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>
/// JSON ingestion for REST and WebSocket: the body is transcoded to protobuf and goes through
/// the same <see cref="IngestPipeline"/> as gRPC; the answer lists every event's result.
/// </summary>
public sealed class JsonIngestHandler(IngestPipeline pipeline, IngestCounters counters, JsonTranscodeOptions options)
{
    public int MaxEvents => options.MaxEvents;

    /// <summary>Ingests one JSON body and writes the JSON answer to <paramref name="response"/>.</summary>
    /// <param name="waitOnBackpressure">Wait while the log backlog is full (WebSocket) instead of answering 429 (REST).</param>
    /// <returns>The HTTP status the answer carries.</returns>
    public async ValueTask<int> IngestAsync(
        ReadOnlySequence<byte> body, IngestSession session, ArrayBufferWriter<byte> protobuf, IBufferWriter<byte> response,
        bool waitOnBackpressure, CancellationToken cancellationToken)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        protobuf.ResetWrittenCount();
        var transcoded = JsonEventBatchTranscoder.Transcode(body, protobuf, options);
        if (transcoded.TooManyEvents)
        {
            WriteError(response, "too_many_events", $"A request carries 1 to {options.MaxEvents} events; this one has more.", null);
            return StatusCodes.Status413PayloadTooLarge;
        }
        if (!transcoded.Success)
        {
            WriteError(response, "invalid_events", "The request has field errors; nothing was ingested.", transcoded.Errors);
            return StatusCodes.Status400BadRequest;
        }

        var malformed = session.Load(new ReadOnlySequence<byte>(protobuf.WrittenMemory), pipeline.MaxEventsPerBatch);
        if (malformed is not null)
        {
            WriteError(response, "invalid_events", malformed, null);
            return StatusCodes.Status400BadRequest;
        }

        var outcome = waitOnBackpressure
            ? await pipeline.AdmitWhenRoomAsync(session, cancellationToken).ConfigureAwait(false)
            : pipeline.Admit(session);

        switch (outcome.Status)
        {
            case IngestStatus.Backpressure:
                WriteError(response, "backpressure", outcome.Error!, null);
                return StatusCodes.Status429TooManyRequests;
            case IngestStatus.Unavailable:
                WriteError(response, "unavailable", outcome.Error!, null);
                return StatusCodes.Status503ServiceUnavailable;
            case IngestStatus.TooLarge:
                WriteError(response, "too_large", outcome.Error!, null);
                return StatusCodes.Status413PayloadTooLarge;
        }

        ReadOnlyMemory<byte> ack;
        try
        {
            if (outcome.Status == IngestStatus.Retry)
            {
                ack = await outcome.RetryAck!.ConfigureAwait(false);
            }
            else
            {
                await pipeline.CompleteAsync(outcome).ConfigureAwait(false);
                ack = outcome.Ack;
            }
        }
        catch (Exception e) when (e is WalUnavailableException or ObjectDisposedException or Core.Ingestion.SequenceAbandonedException)
        {
            WriteError(response, "unavailable", "The events could not be made durable: " + e.Message, null);
            return StatusCodes.Status503ServiceUnavailable;
        }

        WriteResults(response, session, BatchAck.Parser.ParseFrom(ack.Span), outcome.Status == IngestStatus.Retry);
        counters.AckSent(start);
        return StatusCodes.Status202Accepted;
    }

    /// <summary>The 202 answer: counts and one result per event, in request order.</summary>
    private static void WriteResults(IBufferWriter<byte> output, IngestSession session, BatchAck ack, bool retry)
    {
        var batch = session.Batch;
        var rejections = ack.Rejections.ToDictionary(r => (int)r.Index);
        using var json = new Utf8JsonWriter(output, Endpoints.HubJsonWriter.Options);
        json.WriteStartObject();
        json.WriteNumber("accepted", ack.Accepted);
        json.WriteNumber("rejected", ack.Rejected);
        json.WriteNumber("duplicates", ack.Duplicates);
        if (batch.Sequence != 0)
        {
            json.WriteNumber("sequence", batch.Sequence);
        }
        if (retry)
        {
            json.WriteBoolean("retry", true);
        }
        json.WriteStartArray("results");
        for (int i = 0; i < batch.Count; i++)
        {
            ref readonly var row = ref batch[i];
            json.WriteStartObject();
            json.WriteNumber("index", i);
            json.WriteString("event_id", batch.Bytes(row.EventId));
            if (rejections.TryGetValue(i, out var rejection))
            {
                json.WriteString("status", "rejected");
                json.WriteString("code", rejection.Code);
                json.WriteString("message", rejection.Message);
            }
            else
            {
                json.WriteString("status", !retry && row.IsDuplicate ? "duplicate" : "accepted");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteError(IBufferWriter<byte> output, string error, string message, IReadOnlyList<JsonFieldError>? fields)
    {
        using var json = new Utf8JsonWriter(output, Endpoints.HubJsonWriter.Options);
        json.WriteStartObject();
        json.WriteString("error", error);
        json.WriteString("message", message);
        if (fields is not null)
        {
            json.WriteStartArray("errors");
            foreach (var field in fields)
            {
                json.WriteStartObject();
                if (field.EventIndex >= 0)
                {
                    json.WriteNumber("index", field.EventIndex);
                }
                json.WriteString("path", field.Path);
                json.WriteString("message", field.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
