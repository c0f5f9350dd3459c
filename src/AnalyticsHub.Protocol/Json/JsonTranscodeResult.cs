namespace AnalyticsHub.Protocol.Json;

/// <summary>The outcome of one <see cref="JsonEventBatchTranscoder.Transcode"/> call.</summary>
public sealed class JsonTranscodeResult
{
    internal JsonTranscodeResult(int eventCount, bool tooManyEvents, IReadOnlyList<JsonFieldError> errors, bool errorsTruncated, string? producerId, ulong sequence, int bytesWritten)
    {
        EventCount = eventCount;
        TooManyEvents = tooManyEvents;
        Errors = errors;
        ErrorsTruncated = errorsTruncated;
        ProducerId = producerId;
        Sequence = sequence;
        BytesWritten = bytesWritten;
    }

    /// <summary>Events read; with <see cref="TooManyEvents"/> it is <c>MaxEvents + 1</c> (at least that many were sent).</summary>
    public int EventCount { get; }

    /// <summary>The body holds more than <see cref="JsonTranscodeOptions.MaxEvents"/> events; reading stopped there (HTTP 413).</summary>
    public bool TooManyEvents { get; }

    /// <summary>Every problem found, in body order (HTTP 400); empty on success.</summary>
    public IReadOnlyList<JsonFieldError> Errors { get; }

    /// <summary>More errors existed than <see cref="JsonTranscodeOptions.MaxErrors"/>; reading stopped at the cap.</summary>
    public bool ErrorsTruncated { get; }

    /// <summary>True when the EventBatch bytes were appended to the output; on failure nothing was.</summary>
    public bool Success => Errors.Count == 0 && !TooManyEvents;

    /// <summary>The envelope's <c>producer_id</c>, when the body was an envelope that had one.</summary>
    public string? ProducerId { get; }

    /// <summary>The envelope's <c>sequence</c>, 0 when absent.</summary>
    public ulong Sequence { get; }

    /// <summary>Bytes of protobuf appended to the output (0 on failure).</summary>
    public int BytesWritten { get; }
}
