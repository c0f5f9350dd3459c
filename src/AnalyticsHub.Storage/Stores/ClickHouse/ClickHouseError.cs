using System.Globalization;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>
/// A ClickHouse exception as the HTTP interface reports it: the text
/// <c>Code: 33, e.displayText() = DB::Exception: …</c> (18.x–20.x) or <c>Code: 33. DB::Exception: …</c>
/// (later), in the body of an error status or at the end of a 200 response.
/// </summary>
internal readonly record struct ClickHouseError(int Code, string Message)
{
    /// <summary>Longest server text kept (the dead-letter log stores it).</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>
    /// Codes that say the rows themselves are bad: sending them again as they are fails again.
    /// Everything else (network, memory, too many parts, timeouts, a missing table, permissions …)
    /// is worth retrying, possibly after an operator fixes the server.
    /// </summary>
    private static readonly HashSet<int> DataCodes =
    [
        6,   // CANNOT_PARSE_TEXT
        26,  // CANNOT_PARSE_QUOTED_STRING
        27,  // CANNOT_PARSE_INPUT_ASSERTION_FAILED
        32,  // ATTEMPT_TO_READ_AFTER_EOF
        33,  // CANNOT_READ_ALL_DATA (a truncated or malformed RowBinary body)
        38,  // CANNOT_PARSE_DATE
        41,  // CANNOT_PARSE_DATETIME
        53,  // TYPE_MISMATCH
        69,  // ARGUMENT_OUT_OF_BOUND
        70,  // CANNOT_CONVERT_TYPE
        72,  // CANNOT_PARSE_NUMBER
        117, // INCORRECT_DATA
        131, // TOO_LARGE_STRING_SIZE
        321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
        395, // FUNCTION_THROW_IF_VALUE_IS_NON_ZERO (a MATERIALIZED throwIf guard column)
        469, // VIOLATED_CONSTRAINT (CONSTRAINT … CHECK)
        691, // UNKNOWN_ELEMENT_OF_ENUM
    ];

    /// <summary>Codes of a busy or failing server or network: retry later. (Unknown codes are retried too; this set only names them in messages.)</summary>
    private static readonly HashSet<int> TransientCodes =
    [
        159, // TIMEOUT_EXCEEDED
        164, // READONLY
        202, // TOO_MANY_SIMULTANEOUS_QUERIES
        209, // SOCKET_TIMEOUT
        210, // NETWORK_ERROR
        236, // ABORTED
        241, // MEMORY_LIMIT_EXCEEDED
        242, // TABLE_IS_READ_ONLY
        252, // TOO_MANY_PARTS
        279, // ALL_CONNECTION_TRIES_FAILED
        285, // TOO_FEW_LIVE_REPLICAS
        319, // UNKNOWN_STATUS_OF_INSERT
        425, // SYSTEM_ERROR
        999, // KEEPER_EXCEPTION
    ];

    /// <summary>The rows are bad (<see cref="StoreRejectedException"/> on a write).</summary>
    public bool IsDataError => DataCodes.Contains(Code);

    /// <summary>A known busy/failing-server code.</summary>
    public bool IsTransient => TransientCodes.Contains(Code);

    /// <summary>Finds the first <c>Code: N</c> in a response body; the message is the body from there, trimmed and capped.</summary>
    public static bool TryParse(ReadOnlySpan<char> body, out ClickHouseError error)
    {
        error = default;
        int at = body.IndexOf("Code: ", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var digits = body[(at + 6)..];
        int length = 0;
        while (length < digits.Length && length < 9 && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        if (length == 0 || !int.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            return false;
        }

        var text = body[at..].Trim();
        error = new ClickHouseError(code, (text.Length > MaxMessageLength ? text[..MaxMessageLength] : text).ToString());
        return true;
    }
}
