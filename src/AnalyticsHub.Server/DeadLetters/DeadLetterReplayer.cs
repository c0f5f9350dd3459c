using System.Buffers;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Server.Ingestion;
using AnalyticsHub.Storage.DeadLetters;

namespace AnalyticsHub.Server.DeadLetters;

/// <summary>
/// Sends dead letters through the ingest pipeline again — after a fix to the producer's data or
/// to the hub's configuration (an exchange rate, a schema major) — and records each outcome on
/// the letter. A letter rejected again stays, and its new rejection becomes a new dead letter.
/// </summary>
public sealed class DeadLetterReplayer(IngestPipeline pipeline, DeadLetterStore store)
{
    public async Task<ReplayReport> ReplayAsync(IReadOnlyList<DeadLetter> letters)
    {
        if (letters.Count == 0)
        {
            return new ReplayReport(ReplayStatus.Done, null, []);
        }

        using var session = new IngestSession();
        var malformed = session.Load(new ReadOnlySequence<byte>(EventBatchEncoder.FromEncodedEvents(letters.Select(l => l.Event).ToArray())), pipeline.MaxEventsPerBatch);
        if (malformed is not null)
        {
            return new ReplayReport(ReplayStatus.Refused, malformed, []);
        }

        var outcome = pipeline.Admit(session);
        if (outcome.Status is IngestStatus.Backpressure or IngestStatus.Unavailable or IngestStatus.TooLarge)
        {
            return new ReplayReport(outcome.Status == IngestStatus.Backpressure ? ReplayStatus.Busy : ReplayStatus.Refused, outcome.Error, []);
        }

        await pipeline.CompleteAsync(outcome).ConfigureAwait(false);
        var results = new List<ReplayResult>(letters.Count);
        var marks = new List<(long Id, string Outcome)>(letters.Count);
        var batch = session.Batch;
        for (int i = 0; i < letters.Count; i++)
        {
            ref readonly var row = ref batch[i];
            string result = row.Rejection != Rejection.None ? "rejected:" + RejectionCodes.Of(row.Rejection)
                : row.IsDuplicate ? "duplicate" : "accepted";
            string? message = row.Rejection != Rejection.None ? RejectionMessages.Describe(batch, row, row.Rejection, pipeline.Validator) : null;
            results.Add(new ReplayResult(letters[i].Id, result, message));
            marks.Add((letters[i].Id, result));
        }

        store.MarkReplayed(marks, DateTimeOffset.UtcNow);
        return new ReplayReport(ReplayStatus.Done, null, results);
    }
}

public enum ReplayStatus
{
    Done,
    Busy,
    Refused,
}

public sealed record ReplayReport(ReplayStatus Status, string? Error, IReadOnlyList<ReplayResult> Results);

public sealed record ReplayResult(long Id, string Outcome, string? Message);
