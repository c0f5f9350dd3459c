using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AnalyticsHub.Protocol.Json;

/// <summary>How copying a JSON string went.</summary>
internal enum TextStatus : byte
{
    Ok,
    TooLong,

    /// <summary>Invalid UTF-8, or an escape naming an unpaired UTF-16 surrogate.</summary>
    Invalid,
}

/// <summary>
/// Reads JSON scalars off a <see cref="Utf8JsonReader"/> without allocating: strings are copied
/// (unescaped) straight into the protobuf output, short ones into a caller's stack buffer.
/// Descriptions of what was found are built only for error messages.
/// </summary>
internal static class JsonScalars
{
    private const decimal MaxUInt64 = ulong.MaxValue;

    /// <summary>Raw length of the current token as sent (escapes included): an upper bound of its unescaped length.</summary>
    public static long RawLength(ref readonly Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;

    /// <summary>
    /// The unescaped UTF-8 of the current string or property name when it fits in
    /// <paramref name="buffer"/>: the input's own bytes when contiguous and unescaped, else a copy.
    /// False when too long or not valid text.
    /// </summary>
    public static bool TryGetShortText(ref readonly Utf8JsonReader reader, Span<byte> buffer, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (RawLength(in reader) > buffer.Length)
        {
            return false;
        }

        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            return Utf8.IsValid(text);
        }

        try
        {
            text = buffer[..reader.CopyString(buffer)];
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // invalid UTF-8 or an unpaired surrogate escape
        }
    }

    /// <summary>
    /// Copies the current string (or property name), unescaped, to the output at its position;
    /// <paramref name="length"/> is the bytes written (not yet committed when the status is not Ok).
    /// </summary>
    public static TextStatus CopyText(ref Utf8JsonReader reader, ProtoMessageBuffer output, int maxBytes, out int length)
    {
        length = 0;
        var raw = RawLength(ref reader);
        if (raw > maxBytes)
        {
            return TextStatus.TooLong;
        }

        var destination = output.GetSpan((int)raw);
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            reader.ValueSpan.CopyTo(destination);
            if (!Utf8.IsValid(destination[..(int)raw]))
            {
                return TextStatus.Invalid;
            }

            length = (int)raw;
        }
        else
        {
            try
            {
                length = reader.CopyString(destination);
            }
            catch (InvalidOperationException)
            {
                return TextStatus.Invalid;
            }
        }

        output.Advance(length);
        return TextStatus.Ok;
    }

    /// <summary>
    /// Writes the current string as field <paramref name="field"/>; an empty string is omitted
    /// when <paramref name="omitEmpty"/> (proto3 default). Nothing is written on failure.
    /// </summary>
    public static TextStatus WriteString(ref Utf8JsonReader reader, ProtoMessageBuffer output, int field, int maxBytes, bool omitEmpty, out int contentOffset, out int length)
    {
        var mark = output.Position;
        var nested = output.BeginNested(field, (int)Math.Min(RawLength(ref reader), int.MaxValue));
        var status = CopyText(ref reader, output, maxBytes, out length);
        if (status != TextStatus.Ok || (length == 0 && omitEmpty))
        {
            output.Position = mark;
            contentOffset = mark;
            length = 0;
            return status;
        }

        contentOffset = nested.ContentStart + output.EndNested(nested);
        return TextStatus.Ok;
    }

    /// <summary>Writes the current number token's text as sent (map values keep the producer's digits).</summary>
    public static void WriteRawToken(ref Utf8JsonReader reader, ProtoMessageBuffer output, int field)
    {
        if (!reader.HasValueSequence)
        {
            output.WriteBytesField(field, reader.ValueSpan);
            return;
        }

        var nested = output.BeginNested(field, (int)reader.ValueSequence.Length);
        var length = (int)reader.ValueSequence.Length;
        reader.ValueSequence.CopyTo(output.GetSpan(length));
        output.Advance(length);
        output.EndNested(nested);
    }

    /// <summary>A finite double from a JSON number or a numeric string.</summary>
    public static bool TryReadDouble(ref Utf8JsonReader reader, out double value, out string? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDouble(out value) && double.IsFinite(value))
            {
                return true;
            }

            error = $"the number {RawText(ref reader)} is out of range for a double";
            return false;
        }

        Span<byte> buffer = stackalloc byte[64];
        if (reader.TokenType == JsonTokenType.String && TryGetShortText(ref reader, buffer, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        error = $"expected a number, found {Describe(ref reader)}";
        return false;
    }

    /// <summary>A uint64 from a JSON integer (exponent allowed when integral) or a numeric string, as protobuf's JSON mapping sends them.</summary>
    public static bool TryReadUInt64(ref Utf8JsonReader reader, out ulong value, out string? error)
    {
        error = null;
        decimal number;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetUInt64(out value))
            {
                return true;
            }

            if (!reader.TryGetDecimal(out number))
            {
                error = $"expected a non-negative integer up to {ulong.MaxValue}, found the number {RawText(ref reader)}";
                return false;
            }
        }
        else
        {
            Span<byte> buffer = stackalloc byte[64];
            if (reader.TokenType != JsonTokenType.String || !TryGetShortText(ref reader, buffer, out var text)
                || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
            {
                value = 0;
                error = $"expected a non-negative integer, found {Describe(ref reader)}";
                return false;
            }
        }

        value = 0;
        if (number < 0 || number != decimal.Truncate(number) || number > MaxUInt64)
        {
            error = $"expected a non-negative integer up to {ulong.MaxValue}, found {Describe(ref reader)}";
            return false;
        }

        value = (ulong)number;
        return true;
    }

    /// <summary>What the reader is on, for "expected …, found …" messages.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{RawText(ref reader)}\"",
        JsonTokenType.Number => $"the number {RawText(ref reader)}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>The token's text as sent, cut to 40 bytes (error messages only).</summary>
    public static string RawText(ref Utf8JsonReader reader)
    {
        const int Max = 40;
        var raw = reader.HasValueSequence ? reader.ValueSequence.Slice(0, Math.Min(reader.ValueSequence.Length, Max)).ToArray() : reader.ValueSpan[..Math.Min(reader.ValueSpan.Length, Max)].ToArray();
        var text = Encoding.UTF8.GetString(raw);
        return RawLength(ref reader) > Max ? text + "…" : text;
    }

    /// <summary>The message for a failed string copy.</summary>
    public static string TextError(TextStatus status, ref Utf8JsonReader reader, int maxBytes) => status == TextStatus.TooLong
        ? $"the string is {RawLength(ref reader)} bytes; the limit is {maxBytes}"
        : "the string is not valid UTF-8 (or escapes an unpaired UTF-16 surrogate)";
}
