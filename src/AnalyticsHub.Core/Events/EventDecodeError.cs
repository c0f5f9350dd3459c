namespace AnalyticsHub.Core.Events;

/// <summary>
/// Why one event of an otherwise well-framed batch could not be decoded. The event is rejected
/// (code <c>malformed_event</c>) and kept in dead letters; the rest of the batch goes on.
/// </summary>
public enum EventDecodeError : byte
{
    None = 0,

    /// <summary>A varint, fixed field or length-delimited field runs past the end of the event.</summary>
    Truncated,

    /// <summary>A known field arrived with a different wire type than the schema gives it.</summary>
    WrongWireType,

    /// <summary>A varint longer than 10 bytes, or a length that does not fit.</summary>
    MalformedVarint,

    /// <summary>Field number 0, or a wire type that does not exist (groups are not supported).</summary>
    InvalidTag,

    /// <summary>More map entries than the batch allows per event.</summary>
    TooManyPairs,

    /// <summary>Entries of one map interleaved with another map's (legal protobuf, but not accepted here).</summary>
    InterleavedMaps,
}

/// <summary>Text for <see cref="EventDecodeError"/> (built only on the cold, rejecting path).</summary>
public static class EventDecodeErrorText
{
    public static string Describe(EventDecodeError error, int field) => error switch
    {
        EventDecodeError.Truncated => $"The event is truncated (field {field} runs past its end).",
        EventDecodeError.WrongWireType => $"Field {field} has the wrong wire type for its schema.",
        EventDecodeError.MalformedVarint => $"Field {field} has a malformed varint or length.",
        EventDecodeError.InvalidTag => "The event has an invalid field tag (field number 0 or an unknown wire type).",
        EventDecodeError.TooManyPairs => $"Field {field} has more map entries than allowed per event.",
        EventDecodeError.InterleavedMaps => $"Field {field}: the entries of two maps are interleaved.",
        _ => "The event decoded.",
    };
}
