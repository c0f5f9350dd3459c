using System.Buffers;
using System.Text.Json;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// Turns the REST/WebSocket JSON event schema into <c>analyticshub.v1.EventBatch</c> protobuf, so
/// JSON ingestion shares the gRPC path from <see cref="Events.EventBatchDecoder"/> on. A streaming
/// <see cref="Utf8JsonReader"/> over the body (any number of segments) writes protobuf as it goes:
/// string bytes are copied straight across, no DOM, no serializer, no per-field strings.
/// </summary>
/// <remarks>
/// Accepted bodies: an array of events; an envelope <c>{"events": [...], "producer_id": "...",
/// "sequence": 12}</c>; or one event object (an object whose first known key is an event key
/// rather than "events", "producer_id" or "sequence"). This checks the JSON's shape and types only — UUIDs, the time window, value
/// ranges are judged per event later by validation. Any error fails the whole body (the caller
/// answers 400 and ingests nothing); all errors are reported, up to
/// <see cref="JsonTranscodeOptions.MaxErrors"/>. Never throws on bad input.
/// </remarks>
public static class JsonEventBatchTranscoder
{
    private const int BatchProducerId = 2;
    private const int BatchSequence = 3;

    /// <summary>
    /// Reads <paramref name="json"/> and, when it is a valid batch, appends its protobuf
    /// EventBatch to <paramref name="output"/>; on failure <paramref name="output"/> is untouched.
    /// </summary>
    public static JsonTranscodeResult Transcode(ReadOnlySequence<byte> json, IBufferWriter<byte> output, JsonTranscodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 1);

        json = WithoutByteOrderMark(json);
        using var context = new JsonTranscodeContext(options, json);
        ReadBody(json, context);

        var success = !context.HasErrors && !context.TooManyEvents;
        var written = 0;
        if (success)
        {
            // Envelope fields after the events: field-number order, as a proto encoder writes them.
            if (context.ProducerId is { Length: > 0 } producer)
            {
                context.Output.WriteStringField(BatchProducerId, producer);
            }

            if (context.Sequence != 0)
            {
                context.Output.WriteVarintField(BatchSequence, context.Sequence);
            }

            written = context.Output.Position;
            output.Write(context.Output.WrittenSpan);
        }

        return new JsonTranscodeResult(context.EventCount, context.TooManyEvents, context.Errors, context.ErrorsTruncated, context.ProducerId, context.Sequence, written);
    }

    private static void ReadBody(ReadOnlySequence<byte> json, JsonTranscodeContext context)
    {
        // One level of slack: our own depth check sees the offending container and names its path.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Math.Min(context.Options.MaxDepth, int.MaxValue - 1) + 1 });
        try
        {
            if (IsBlank(json))
            {
                context.FailBody("$", "the body is empty; expected an array of events, an object with \"events\", or one event object");
                return;
            }

            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    ReadEvents(ref reader, context);
                    break;

                case JsonTokenType.StartObject when IsEnvelope(reader):
                    ReadEnvelope(ref reader, context);
                    break;

                case JsonTokenType.StartObject:
                    ReadEvent(ref reader, context);
                    break;

                default:
                    context.FailBody("$", $"expected an array of events, an object with \"events\", or one event object; found {JsonScalars.Describe(ref reader)}");
                    return;
            }

            if (context.Stopped || context.TooManyEvents)
            {
                return;
            }

            if (context.EventCount == 0 && !context.HasErrors)
            {
                context.FailBody("events", "at least one event is required");
            }

            reader.Read(); // throws on anything but whitespace after the body's value
        }
        catch (JsonException exception)
        {
            context.FailSyntax(exception);
        }
    }

    /// <summary>
    /// Whether an object is an envelope: decided by its first key that is an envelope key
    /// ("events", "producer_id", "sequence") or an event key, read ahead on a copy of the reader.
    /// </summary>
    private static bool IsEnvelope(Utf8JsonReader probe)
    {
        Span<byte> buffer = stackalloc byte[JsonNames.MaxKeyLength];
        try
        {
            while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
            {
                if (JsonScalars.TryGetShortText(ref probe, buffer, out var key))
                {
                    if (JsonNames.Matches(key, "events"u8) || JsonNames.Matches(key, "producer_id"u8) || JsonNames.Matches(key, "sequence"u8))
                    {
                        return true;
                    }

                    if (JsonEventKeys.Find(key) != EventKey.Unknown)
                    {
                        return false;
                    }
                }

                probe.Read();
                probe.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed or too deep: the real pass reports it with its position.
        }

        return false;
    }

    private static void ReadEnvelope(ref Utf8JsonReader reader, JsonTranscodeContext context)
    {
        Span<byte> buffer = stackalloc byte[JsonNames.MaxKeyLength];
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = 0;
            if (JsonScalars.TryGetShortText(ref reader, buffer, out var name))
            {
                key = JsonNames.Matches(name, "events"u8) ? 1 : JsonNames.Matches(name, "producer_id"u8) ? 2 : JsonNames.Matches(name, "sequence"u8) ? 3 : 0;
            }

            reader.Read();
            var path = key switch { 1 => "events", 2 => "producer_id", 3 => "sequence", _ => "$" };
            if (key != 0 && (seen & (1 << key)) != 0)
            {
                context.FailBody(path, "the key appears more than once");
                key = 0;
            }

            seen |= 1 << key;
            switch (key)
            {
                case 1 when reader.TokenType == JsonTokenType.StartArray:
                    ReadEvents(ref reader, context);
                    break;

                case 1 when reader.TokenType != JsonTokenType.Null:
                    context.FailBody(path, $"expected an array of events, found {JsonScalars.Describe(ref reader)}");
                    break;

                case 2:
                    ReadProducerId(ref reader, context);
                    break;

                case 3 when reader.TokenType != JsonTokenType.Null:
                    if (JsonScalars.TryReadUInt64(ref reader, out var sequence, out var error))
                    {
                        context.Sequence = sequence;
                    }
                    else
                    {
                        context.FailBody(path, error!);
                    }

                    break;
            }

            if (context.Stopped || context.TooManyEvents || !context.TrySkip(ref reader, path))
            {
                return;
            }
        }
    }

    private static void ReadProducerId(ref Utf8JsonReader reader, JsonTranscodeContext context)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            context.FailBody("producer_id", $"expected a string, found {JsonScalars.Describe(ref reader)}");
            return;
        }

        var maxBytes = context.Options.MaxStringBytes;
        if (JsonScalars.RawLength(ref reader) > maxBytes)
        {
            context.FailBody("producer_id", JsonScalars.TextError(TextStatus.TooLong, ref reader, maxBytes));
            return;
        }

        try
        {
            context.ProducerId = reader.GetString(); // one string per batch: the result hands it out
        }
        catch (InvalidOperationException)
        {
            context.FailBody("producer_id", JsonScalars.TextError(TextStatus.Invalid, ref reader, maxBytes));
        }
    }

    /// <summary>The array the reader is on, one event per element; stops at one more than allowed.</summary>
    private static void ReadEvents(ref Utf8JsonReader reader, JsonTranscodeContext context)
    {
        if (!context.CheckDepth(ref reader, "events"))
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (context.EventCount == context.Options.MaxEvents)
            {
                context.EventCount++;
                context.TooManyEvents = true;
                return;
            }

            ReadEvent(ref reader, context);
            if (context.Stopped)
            {
                return;
            }
        }
    }

    private static void ReadEvent(ref Utf8JsonReader reader, JsonTranscodeContext context)
    {
        context.EventIndex = context.EventCount++;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            JsonEventTranscoder.Transcode(ref reader, context);
        }
        else
        {
            context.Fail("", $"expected an event object, found {JsonScalars.Describe(ref reader)}");
            context.TrySkip(ref reader, "");
        }

        context.EventIndex = -1;
    }

    /// <summary>RFC 8259 lets a parser ignore a UTF-8 BOM; some Windows tools write one.</summary>
    private static ReadOnlySequence<byte> WithoutByteOrderMark(ReadOnlySequence<byte> json)
    {
        if (json.Length < 3)
        {
            return json;
        }

        Span<byte> head = stackalloc byte[3];
        json.Slice(0, 3).CopyTo(head);
        return head.SequenceEqual("\uFEFF"u8) ? json.Slice(3) : json;
    }

    private static bool IsBlank(ReadOnlySequence<byte> json)
    {
        foreach (var segment in json)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
