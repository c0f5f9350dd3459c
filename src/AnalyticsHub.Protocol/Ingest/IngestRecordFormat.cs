namespace AnalyticsHub.Protocol.Ingest;

/// <summary>
/// The write-ahead log's record for one ingested batch. It is protobuf wire format and a
/// superset of <c>analyticshub.v1.EventBatch</c> (any protobuf parser reads its events); the
/// hub's own fields use numbers ≥ 100, which the public contract never will:
/// <code>
/// IngestRecord {
///   string producer_id = 2;  uint64 sequence = 3;            // as sent
///   RecordInfo info = 100;                                  // written first
///   repeated bytes events = 1;                              // accepted events, see below
///   repeated DeadLetter dead_letters = 101;                 // rejected events
/// }
/// RecordInfo { fixed64 received_unix_nano = 1; uint32 accepted = 2; uint32 rejected = 3; uint32 duplicates = 4; }
/// DeadLetter { bytes event = 1; uint32 index = 2; string code = 3; string message = 4;
///              string event_id = 5; uint32 source_module = 6; string tenant_id = 7; }
/// </code>
/// Each accepted event is the client's AnalyticsEvent bytes, unchanged, followed by field 100
/// <c>Normalized { fixed64 time_unix_nano = 1; double value = 2; uint32 value_dimension = 3;
/// uint32 severity = 4; }</c>: the results of normalization that depend on configuration
/// (clock skew, exchange rates), so readers never recompute them. Protobuf's last-one-wins
/// rule makes the hub's block override any field 100 a client may have sent.
/// </summary>
public static class IngestRecordFormat
{
    internal const int Events = 1;
    internal const int ProducerId = 2;
    internal const int Sequence = 3;
    internal const int Info = 100;
    internal const int DeadLetters = 101;

    internal const int InfoReceivedUnixNano = 1;
    internal const int InfoAccepted = 2;
    internal const int InfoRejected = 3;
    internal const int InfoDuplicates = 4;

    internal const int DeadLetterEvent = 1;
    internal const int DeadLetterIndex = 2;
    internal const int DeadLetterCode = 3;
    internal const int DeadLetterMessage = 4;
    internal const int DeadLetterEventId = 5;
    internal const int DeadLetterSourceModule = 6;
    internal const int DeadLetterTenantId = 7;

    /// <summary>Field of AnalyticsEvent carrying the hub's normalized values.</summary>
    internal const int EventNormalized = 100;
    internal const int NormalizedTime = 1;
    internal const int NormalizedValue = 2;
    internal const int NormalizedDimension = 3;
    internal const int NormalizedSeverity = 4;

    /// <summary>Most bytes the Normalized block adds to an event (tag, length, four fields).</summary>
    internal const int MaxNormalizedBlockLength = 2 + 1 + (1 + 8) + (1 + 8) + (1 + 1) + (1 + 1);
}
