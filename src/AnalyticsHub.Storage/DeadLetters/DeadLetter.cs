using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>
/// One event the hub rejected, as kept in the <see cref="DeadLetterStore"/>: the original
/// protobuf bytes, why it was rejected, and where it came from.
/// </summary>
/// <param name="Id">Assigned by the store, ascending in arrival order and never reused; 0 when adding.</param>
/// <param name="ReceivedAt">When the hub received the batch (stored at 100 ns precision, returned in UTC).</param>
/// <param name="TenantId">Tenant of the event (<c>default</c> when none was given).</param>
/// <param name="SourceModule">Source module the event declared.</param>
/// <param name="EventId">The event's id as sent (may be empty or malformed: that can be why it was rejected).</param>
/// <param name="Code">Rejection reason code, e.g. <c>invalid_uuid</c>.</param>
/// <param name="Message">Human-readable rejection message.</param>
/// <param name="ProducerId">Producer of the batch the event arrived in.</param>
/// <param name="Sequence">Sequence number of that batch.</param>
/// <param name="Index">Position of the event in that batch.</param>
/// <param name="Event">The original <c>AnalyticsEvent</c> protobuf bytes.</param>
/// <param name="WalAddress">Address of the WAL record the letter was copied from; (<paramref name="WalAddress"/>,
/// <paramref name="Index"/>) identifies a letter, so copying a record twice adds it once.</param>
public sealed record DeadLetter(
    long Id,
    DateTimeOffset ReceivedAt,
    string TenantId,
    SourceModule SourceModule,
    string EventId,
    string Code,
    string Message,
    string ProducerId,
    ulong Sequence,
    int Index,
    byte[] Event,
    long WalAddress);
