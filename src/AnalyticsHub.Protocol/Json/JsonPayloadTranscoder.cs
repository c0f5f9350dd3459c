using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// One payload object as its payload message (oneof field 20–26). A key is, in order: a field of
/// the message (snake_case or camelCase); for Registry and Policy Engine events, a seed name that
/// <see cref="FieldMappings"/> renames to a field (<c>model_version</c> → <c>version</c>); otherwise
/// an entry of the payload's map. A renamed key is kept in the map under its own name (as a gRPC
/// producer would send it, and where the normalizer looks for it) and also fills its canonical
/// field when the payload does not set that field itself, whatever the key order.
/// </summary>
internal static class JsonPayloadTranscoder
{
    /// <summary>Transcodes the value the reader is on, sent under "payload" or under its kind's name.</summary>
    public static void Transcode(ref Utf8JsonReader reader, JsonTranscodeContext context, PayloadKind kind, SourceModule module, bool viaPayloadKey)
    {
        var schema = JsonPayloadSchema.For(kind);
        var path = schema.Path(viaPayloadKey);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            context.Fail(path, $"expected a {schema.Name} payload object, found {JsonScalars.Describe(ref reader)}");
            context.TrySkip(ref reader, path);
            return;
        }

        if (!context.CheckDepth(ref reader, path))
        {
            return;
        }

        var output = context.Output;
        var message = output.BeginNested((int)kind);
        context.BeginMap();
        context.ClearRenames();
        var seen = 0u;
        Span<byte> keyBuffer = stackalloc byte[JsonNames.MaxKeyLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = -1;
            var renamed = -1;
            if (JsonScalars.TryGetShortText(ref reader, keyBuffer, out var key))
            {
                index = schema.Find(key);
                if (index < 0 && module != SourceModule.Unspecified && FieldMappings.TryMap(module, key, out var canonical))
                {
                    renamed = schema.Find(canonical);
                }
            }

            if (index < 0)
            {
                if (JsonMaps.WriteEntry(ref reader, context, schema.MapField.Number, path, out var valueOffset, out var valueLength) && renamed >= 0)
                {
                    context.AddRename(renamed, valueOffset, valueLength);
                }
            }
            else
            {
                var field = schema.Fields[index];
                reader.Read();
                if ((seen & (1u << field.Number)) != 0)
                {
                    var fieldPath = field.Path(viaPayloadKey);
                    context.Fail(fieldPath, "the field appears more than once (its snake_case and camelCase names are the same field)");
                    context.TrySkip(ref reader, fieldPath);
                }
                else
                {
                    seen |= 1u << field.Number;
                    ReadField(ref reader, context, field, field.Path(viaPayloadKey));
                }
            }

            if (context.Stopped)
            {
                return;
            }
        }

        PromoteRenames(context, schema, seen);
        output.EndNested(message);
    }

    private static void PromoteRenames(JsonTranscodeContext context, JsonPayloadSchema schema, uint seen)
    {
        var renames = context.Renames; // indexed: a foreach over the interface would box its enumerator
        for (var i = 0; i < renames.Count; i++)
        {
            var (index, offset, length) = renames[i];
            var field = schema.Fields[index];
            if ((seen & (1u << field.Number)) == 0 && field.Kind == JsonFieldKind.String && length > 0)
            {
                seen |= 1u << field.Number; // the first renamed key wins over later ones
                context.Output.WriteBytesFieldFromSelf(field.Number, offset, length);
            }
        }
    }

    private static void ReadField(ref Utf8JsonReader reader, JsonTranscodeContext context, JsonPayloadField field, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return; // null is "not set"
        }

        var output = context.Output;
        string? error = null;
        switch (field.Kind)
        {
            case JsonFieldKind.String:
                WriteString(ref reader, context, field.Number, path, -1, omitEmpty: true);
                return;

            case JsonFieldKind.Double:
                if (JsonScalars.TryReadDouble(ref reader, out var number, out error) && number != 0)
                {
                    output.WriteDoubleField(field.Number, number);
                }

                break;

            case JsonFieldKind.UInt64:
                if (JsonScalars.TryReadUInt64(ref reader, out var integer, out error) && integer != 0)
                {
                    output.WriteVarintField(field.Number, integer);
                }

                break;

            case JsonFieldKind.Bool:
                if (reader.TokenType is JsonTokenType.True)
                {
                    output.WriteVarintField(field.Number, 1);
                }
                else if (reader.TokenType is not JsonTokenType.False)
                {
                    error = $"expected true or false, found {JsonScalars.Describe(ref reader)}";
                }

                break;

            case JsonFieldKind.StringList:
                ReadStringList(ref reader, context, field.Number, path);
                return;

            case JsonFieldKind.Map:
                JsonMaps.ReadObject(ref reader, context, field.Number, path);
                return;

            case JsonFieldKind.Base64:
                WriteBase64(ref reader, context, field.Number, path);
                return;

            case JsonFieldKind.JsonText:
                WriteJsonText(ref reader, context, field.Number, path);
                return;
        }

        if (error is not null)
        {
            context.Fail(path, error);
            context.TrySkip(ref reader, path);
        }
    }

    /// <summary>A string field, or element <paramref name="element"/> of a list (-1: not a list).</summary>
    private static void WriteString(ref Utf8JsonReader reader, JsonTranscodeContext context, int field, string path, int element, bool omitEmpty)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            var elementPath = ElementPath(path, element);
            context.Fail(elementPath, $"expected a string, found {JsonScalars.Describe(ref reader)}");
            context.TrySkip(ref reader, elementPath);
            return;
        }

        var maxBytes = context.Options.MaxStringBytes;
        var status = JsonScalars.WriteString(ref reader, context.Output, field, maxBytes, omitEmpty, out _, out _);
        if (status != TextStatus.Ok)
        {
            context.Fail(ElementPath(path, element), JsonScalars.TextError(status, ref reader, maxBytes));
        }
    }

    private static string ElementPath(string path, int element) => element < 0 ? path : $"{path}[{element}]";

    /// <summary>An array of strings, each a repeated-field element (empty ones too: position matters in a list).</summary>
    private static void ReadStringList(ref Utf8JsonReader reader, JsonTranscodeContext context, int field, string path)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            WriteString(ref reader, context, field, path, -1, omitEmpty: false);
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            context.Fail(path, $"expected an array of strings, found {JsonScalars.Describe(ref reader)}");
            context.TrySkip(ref reader, path);
            return;
        }

        if (!context.CheckDepth(ref reader, path))
        {
            return;
        }

        for (var i = 0; !context.Stopped && reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            WriteString(ref reader, context, field, path, i, omitEmpty: false);
        }
    }

    /// <summary>Base64 text (standard, else URL-safe) decoded in place in the output.</summary>
    private static void WriteBase64(ref Utf8JsonReader reader, JsonTranscodeContext context, int field, string path)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            context.Fail(path, $"expected a base64 string, found {JsonScalars.Describe(ref reader)}");
            context.TrySkip(ref reader, path);
            return;
        }

        var output = context.Output;
        var mark = output.Position;
        var nested = output.BeginNested(field, (int)Math.Min(JsonScalars.RawLength(ref reader), int.MaxValue));
        var status = JsonScalars.CopyText(ref reader, output, context.Options.MaxStringBytes, out var length);
        if (status != TextStatus.Ok)
        {
            output.Position = mark;
            context.Fail(path, JsonScalars.TextError(status, ref reader, context.Options.MaxStringBytes));
            return;
        }

        // Decode over the copied text (it has capacity: it was just written there).
        output.Position = nested.ContentStart;
        var text = output.GetSpan(length)[..length];
        var written = 0;
        var decoded = Base64.IsValid(text)
            ? Base64.DecodeFromUtf8InPlace(text, out written) == OperationStatus.Done
            : Base64Url.IsValid(text) && TryDecodeUrlSafe(text, out written);
        if (!decoded)
        {
            output.Position = mark;
            context.Fail(path, $"expected base64, found {JsonScalars.Describe(ref reader)}");
            return;
        }

        if (written == 0)
        {
            output.Position = mark; // proto3: empty bytes are not written
            return;
        }

        output.Advance(written);
        output.EndNested(nested);
    }

    private static bool TryDecodeUrlSafe(Span<byte> text, out int written)
    {
        try
        {
            written = Base64Url.DecodeFromUtf8InPlace(text);
            return true;
        }
        catch (FormatException)
        {
            written = 0;
            return false; // IsValid said yes; a decoder that disagrees must not turn into a 500
        }
    }

    /// <summary>A JSON document as text: a string as its (unescaped) content, any other value as sent.</summary>
    private static void WriteJsonText(ref Utf8JsonReader reader, JsonTranscodeContext context, int field, string path)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            WriteString(ref reader, context, field, path, -1, omitEmpty: true);
            return;
        }

        var start = reader.TokenStartIndex;
        if (!context.TrySkip(ref reader, path))
        {
            return;
        }

        var text = context.Source.Slice(start, reader.BytesConsumed - start);
        if (text.Length > context.Options.MaxStringBytes)
        {
            context.Fail(path, $"the JSON value is {text.Length} bytes; the limit is {context.Options.MaxStringBytes}");
            return;
        }

        var output = context.Output;
        var mark = output.Position;
        var nested = output.BeginNested(field, (int)text.Length);
        var destination = output.GetSpan((int)text.Length)[..(int)text.Length];
        text.CopyTo(destination);
        if (!Utf8.IsValid(destination))
        {
            output.Position = mark;
            context.Fail(path, "the JSON value is not valid UTF-8");
            return;
        }

        output.Advance(destination.Length);
        output.EndNested(nested);
    }
}
