using System.Text;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// The event's enum fields from a JSON name or the enum's number. Names are read leniently
/// (any case; for modules also '-' or '_' or neither between words, with or without "llm"), since
/// producers spell them from their own config; an unknown name is an error, never a silent 0.
/// A number is passed through as-is (an unknown one is rejected per event by validation).
/// </summary>
internal static class JsonEnums
{
    private const string ModuleNames = SourceModuleNames.Known;
    private const string EventTypeNames = "telemetry, security, cost, governance, metadata, policy";
    private const string SeverityNames = "debug, info, warning, error, critical (or trace, notice, warn, err, fatal, low, medium, high, ...)";

    public static bool TryReadSourceModule(ref Utf8JsonReader reader, out int value, out string? error) =>
        TryRead(ref reader, ModuleNames, static text => ParseModule(text), out value, out error);

    public static bool TryReadEventType(ref Utf8JsonReader reader, out int value, out string? error) =>
        TryRead(ref reader, EventTypeNames, static text => ParseEventType(text), out value, out error);

    public static bool TryReadSeverity(ref Utf8JsonReader reader, out int value, out string? error) =>
        TryRead(ref reader, SeverityNames, static text => ParseSeverity(text), out value, out error);

    /// <summary>The module's number (see <see cref="SourceModuleNames"/>), -1 when unknown.</summary>
    internal static int ParseModule(ReadOnlySpan<byte> text) =>
        SourceModuleNames.TryParse(text, out var module) ? (int)module : -1;

    internal static int ParseEventType(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> trimmed = text.Trim(" \t"u8);
        if (EnumNames.TryParse(trimmed, out EventType type))
        {
            return (int)type;
        }

        return Ascii.EqualsIgnoreCase(trimmed, "event_type_unspecified"u8) ? 0 : -1;
    }

    internal static int ParseSeverity(ReadOnlySpan<byte> text)
    {
        if (SeverityMapper.TryMap(text, out var severity))
        {
            return (int)severity;
        }

        return Ascii.EqualsIgnoreCase(text.Trim(" \t"u8), "severity_unspecified"u8) ? 0 : -1;
    }

    private static bool TryRead(ref Utf8JsonReader reader, string expected, Parse parse, out int value, out string? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out value) && value >= 0)
            {
                return true;
            }
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            Span<byte> buffer = stackalloc byte[JsonNames.MaxKeyLength];
            value = JsonScalars.TryGetShortText(ref reader, buffer, out var text) ? parse(text) : -1;
            if (value >= 0)
            {
                return true;
            }

            error = $"unknown name {JsonScalars.Describe(ref reader)}; expected one of {expected}, or the enum's number";
            return false;
        }

        value = -1;
        error = $"expected one of {expected}, or the enum's non-negative number; found {JsonScalars.Describe(ref reader)}";
        return false;
    }

    private delegate int Parse(ReadOnlySpan<byte> text);
}
