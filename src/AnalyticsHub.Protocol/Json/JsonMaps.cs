using System.Text;
using System.Text.Json;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// JSON objects as protobuf <c>map&lt;string,string&gt;</c> entries ({1: key, 2: value}). Values
/// are strings, or numbers and booleans kept as their JSON text; null leaves the key out; nested
/// objects and arrays are errors (a map holds flat strings). A repeated key is an error, not
/// "last wins": the producer's intent is unclear.
/// </summary>
internal static class JsonMaps
{
    /// <summary>Reads the object the reader is on into entries of map field <paramref name="field"/>.</summary>
    public static void ReadObject(ref Utf8JsonReader reader, JsonTranscodeContext context, int field, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            context.Fail(path, $"expected an object of strings, numbers or booleans, found {JsonScalars.Describe(ref reader)}");
            context.TrySkip(ref reader, path);
            return;
        }

        if (!context.CheckDepth(ref reader, path))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            WriteEntry(ref reader, context, field, path, out _, out _);
            if (context.Stopped)
            {
                return;
            }
        }
    }

    /// <summary>
    /// With the reader on a property name, writes it and the value after it as one entry and
    /// leaves the reader on the value. False when nothing was written: a null value, or an error
    /// (reported at <c>path.key</c>). The value's bytes are at (valueOffset, valueLength) of the output.
    /// </summary>
    public static bool WriteEntry(ref Utf8JsonReader reader, JsonTranscodeContext context, int field, string path, out int valueOffset, out int valueLength)
    {
        valueOffset = valueLength = 0;
        var output = context.Output;
        var maxBytes = context.Options.MaxStringBytes;
        var mark = output.Position;
        var entry = output.BeginNested(field);
        var status = JsonScalars.WriteString(ref reader, output, 1, maxBytes, omitEmpty: false, out var keyOffset, out var keyLength);
        if (status != TextStatus.Ok)
        {
            context.Fail(path, $"a key: {JsonScalars.TextError(status, ref reader, maxBytes)}");
            output.Position = mark;
            reader.Read();
            context.TrySkip(ref reader, path);
            return false;
        }

        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                status = JsonScalars.WriteString(ref reader, output, 2, maxBytes, omitEmpty: false, out valueOffset, out valueLength);
                if (status != TextStatus.Ok)
                {
                    context.Fail(KeyPath(output, path, keyOffset, keyLength), JsonScalars.TextError(status, ref reader, maxBytes));
                    output.Position = mark;
                    return false;
                }

                break;

            case JsonTokenType.Number:
                JsonScalars.WriteRawToken(ref reader, output, 2);
                valueLength = (int)JsonScalars.RawLength(ref reader);
                break;

            case JsonTokenType.True:
                output.WriteBytesField(2, "true"u8);
                valueLength = 4;
                break;

            case JsonTokenType.False:
                output.WriteBytesField(2, "false"u8);
                valueLength = 5;
                break;

            case JsonTokenType.Null:
                output.Position = mark;
                return false;

            default:
                var keyPath = KeyPath(output, path, keyOffset, keyLength);
                context.Fail(keyPath, $"expected a string, number or boolean, found {JsonScalars.Describe(ref reader)}");
                output.Position = mark;
                context.TrySkip(ref reader, keyPath);
                return false;
        }

        if (context.HasMapKey(keyOffset, keyLength))
        {
            context.Fail(KeyPath(output, path, keyOffset, keyLength), "the key appears more than once");
            output.Position = mark;
            return false;
        }

        valueOffset = output.Position - valueLength;
        var shift = output.EndNested(entry);
        context.AddMapKey(keyOffset + shift, keyLength);
        valueOffset += shift;
        return true;
    }

    private static string KeyPath(ProtoMessageBuffer output, string path, int keyOffset, int keyLength) =>
        $"{path}.{Encoding.UTF8.GetString(output.Slice(keyOffset, keyLength))}";
}
