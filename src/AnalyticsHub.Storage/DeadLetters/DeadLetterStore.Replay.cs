using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>Recording replays.</summary>
public sealed partial class DeadLetterStore
{
    /// <summary>Longest outcome text kept; longer ones are cut (they are for operators to read).</summary>
    public const int MaxOutcomeLength = 512;

    /// <summary>
    /// Records that the letters were replayed at <paramref name="at"/> with the given outcome
    /// (e.g. <c>accepted</c>, <c>rejected:invalid_uuid</c>, <c>duplicate</c>), replacing an
    /// earlier replay's. One durable transaction; ids no longer stored are skipped.
    /// </summary>
    /// <returns>Letters updated.</returns>
    /// <exception cref="DeadLetterStoreUnavailableException">The write failed; nothing was recorded.</exception>
    public int MarkReplayed(IReadOnlyCollection<(long Id, string Outcome)> results, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach ((_, string outcome) in results)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(outcome, nameof(results));
        }
        if (results.Count == 0)
        {
            return 0;
        }

        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using SqliteTransaction tx = _writer.BeginTransaction();
                using SqliteCommand update = _writer.CreateCommand();
                update.Transaction = tx;
                update.CommandText = "UPDATE dead_letters SET replayed_at = $at, replay_outcome = $outcome WHERE id = $id";
                update.Parameters.AddWithValue("$at", DeadLetterSchema.ToTicks(at));
                SqliteParameter outcomeParameter = update.Parameters.Add("$outcome", SqliteType.Text);
                SqliteParameter id = update.Parameters.Add("$id", SqliteType.Integer);
                update.Prepare();
                int updated = 0;
                foreach ((long letterId, string outcome) in results)
                {
                    id.Value = letterId;
                    outcomeParameter.Value = outcome.Length <= MaxOutcomeLength ? outcome : outcome[..MaxOutcomeLength];
                    updated += update.ExecuteNonQuery();
                }
                tx.Commit();
                return updated;
            }
            catch (SqliteException e)
            {
                throw Unavailable("cannot record replays", e);
            }
        }
    }
}
