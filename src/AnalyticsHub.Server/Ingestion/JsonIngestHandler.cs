using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Json;
using AnalyticsHub.Server.Tracing;
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
    /// <param name="span">The batch's trace span (null when tracing is off): given the counts, or the error answered.</param>
    /// <returns>The HTTP status the answer carries.</returns>
    public async ValueTask<int> IngestAsync(
        ReadOnlySequence<byte> body, IngestSession session, ArrayBufferWriter<byte> protobuf, IBufferWriter<byte> response,
        bool waitOnBackpressure, Activity? span, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        protobuf.ResetWrittenCount();
        var transcoded = JsonEventBatchTranscoder.Transcode(body, protobuf, options);
        if (transcoded.TooManyEvents)
        {
            return Refuse(response, span, StatusCodes.Status413PayloadTooLarge, "too_many_events", $"A request carries 1 to {options.MaxEvents} events; this one has more.", null);
        }
        if (!transcoded.Success)
        {
            return Refuse(response, span, StatusCodes.Status400BadRequest, "invalid_events", "The request has field errors; nothing was ingested.", transcoded.Errors);
        }

        var malformed = session.Load(new ReadOnlySequence<byte>(protobuf.WrittenMemory), pipeline.MaxEventsPerBatch);
        if (malformed is not null)
        {
            return Refuse(response, span, StatusCodes.Status400BadRequest, "invalid_events", malformed, null);
        }

        var outcome = waitOnBackpressure
            ? await pipeline.AdmitWhenRoomAsync(session, cancellationToken).ConfigureAwait(false)
            : pipeline.Admit(session);

        switch (outcome.Status)
        {
            case IngestStatus.Backpressure:
                return Refuse(response, span, StatusCodes.Status429TooManyRequests, "backpressure", outcome.Error!, null);
            case IngestStatus.Unavailable:
                return Refuse(response, span, StatusCodes.Status503ServiceUnavailable, "unavailable", outcome.Error!, null);
            case IngestStatus.TooLarge:
                return Refuse(response, span, StatusCodes.Status413PayloadTooLarge, "too_large", outcome.Error!, null);
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
            return Refuse(response, span, StatusCodes.Status503ServiceUnavailable, "unavailable", "The events could not be made durable: " + e.Message, null);
        }

        var parsed = BatchAck.Parser.ParseFrom(ack.Span);
        bool retry = outcome.Status == IngestStatus.Retry;
        IngestSpan.Acknowledged(span, session.Batch.Count, parsed.Accepted, parsed.Rejected, parsed.Duplicates, retry);
        WriteResults(response, session, parsed, retry);
        counters.AckSent(start);
        return StatusCodes.Status202Accepted;
    }

    /// <summary>Answers an error (nothing of the batch was kept) and marks the batch's span failed with the same code.</summary>
    private static int Refuse(IBufferWriter<byte> response, Activity? span, int status, string error, string message, IReadOnlyList<JsonFieldError>? fields)
    {
        SpanFailure.Record(span, error, message);
        WriteError(response, error, message, fields);
        return status;
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
