using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>Adding letters and keeping the store within its bounds.</summary>
public sealed partial class DeadLetterStore
{
    /// <summary>
    /// Adds <paramref name="letters"/> in one transaction, durable when this returns, then
    /// evicts the oldest letters until both bounds hold (in the same transaction). A letter
    /// whose (<see cref="DeadLetter.WalAddress"/>, <see cref="DeadLetter.Index"/>) is already
    /// stored is skipped, so re-adding after a crash adds nothing; <see cref="DeadLetter.Id"/>
    /// is ignored.
    /// </summary>
    /// <returns>Letters added (skipped duplicates not counted; letters evicted again by the
    /// bounds in the same call are counted here and in <see cref="Evicted"/>).</returns>
    /// <exception cref="DeadLetterStoreUnavailableException">The write failed; nothing was added.</exception>
    public int Add(IReadOnlyList<DeadLetter> letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        foreach (DeadLetter letter in letters)
        {
            Validate(letter);
        }
        if (letters.Count == 0)
        {
            return 0;
        }

        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using SqliteTransaction tx = _writer.BeginTransaction();
                (int added, long addedBytes) = Insert(letters, tx);
                (long count, long bytes, long evicted) = EnforceBounds(_count + added, _totalBytes + addedBytes, _evicted, tx);
                WriteCounters(count, bytes, evicted, tx);
                tx.Commit();
                Publish(count, bytes, evicted);
                return added;
            }
            catch (SqliteException e)
            {
                throw Unavailable("cannot add dead letters", e);
            }
        }
    }

    private (int Added, long Bytes) Insert(IReadOnlyList<DeadLetter> letters, SqliteTransaction tx)
    {
        using SqliteCommand insert = _writer.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = DeadLetterSchema.Insert;
        SqliteParameter receivedAt = insert.Parameters.Add("$received_at", SqliteType.Integer);
        SqliteParameter tenantId = insert.Parameters.Add("$tenant_id", SqliteType.Text);
        SqliteParameter sourceModule = insert.Parameters.Add("$source_module", SqliteType.Integer);
        SqliteParameter eventId = insert.Parameters.Add("$event_id", SqliteType.Text);
        SqliteParameter code = insert.Parameters.Add("$code", SqliteType.Text);
        SqliteParameter message = insert.Parameters.Add("$message", SqliteType.Text);
        SqliteParameter producerId = insert.Parameters.Add("$producer_id", SqliteType.Text);
        SqliteParameter sequence = insert.Parameters.Add("$sequence", SqliteType.Integer);
        SqliteParameter index = insert.Parameters.Add("$idx", SqliteType.Integer);
        SqliteParameter @event = insert.Parameters.Add("$event", SqliteType.Blob);
        SqliteParameter walAddress = insert.Parameters.Add("$wal_address", SqliteType.Integer);
        SqliteParameter size = insert.Parameters.Add("$size", SqliteType.Integer);
        insert.Prepare();

        int added = 0;
        long addedBytes = 0;
        foreach (DeadLetter letter in letters)
        {
            long rowBytes = DeadLetterSchema.Size(letter);
            receivedAt.Value = DeadLetterSchema.ToTicks(letter.ReceivedAt);
            tenantId.Value = letter.TenantId;
            sourceModule.Value = (int)letter.SourceModule;
            eventId.Value = letter.EventId;
            code.Value = letter.Code;
            message.Value = letter.Message;
            producerId.Value = letter.ProducerId;
            sequence.Value = unchecked((long)letter.Sequence);
            index.Value = letter.Index;
            @event.Value = letter.Event;
            walAddress.Value = letter.WalAddress;
            size.Value = rowBytes;
            if (insert.ExecuteNonQuery() == 1)
            {
                added++;
                addedBytes += rowBytes;
            }
        }
        return (added, addedBytes);
    }

    // Deletes the oldest rows until count <= MaxEntries and bytes <= MaxBytes. The scan reads
    // only the rows it will delete (ascending id from the start), then one range delete.
    private (long Count, long Bytes, long Evicted) EnforceBounds(long count, long bytes, long evicted, SqliteTransaction tx)
    {
        long excessCount = count - _maxEntries;
        long excessBytes = bytes - _maxBytes;
        if (excessCount <= 0 && excessBytes <= 0)
        {
            return (count, bytes, evicted);
        }

        long cutoff = -1, freedCount = 0, freedBytes = 0;
        using (SqliteCommand scan = _writer.CreateCommand())
        {
            scan.Transaction = tx;
            scan.CommandText = "SELECT id, size FROM dead_letters ORDER BY id";
            using SqliteDataReader rows = scan.ExecuteReader();
            while ((freedCount < excessCount || freedBytes < excessBytes) && rows.Read())
            {
                cutoff = rows.GetInt64(0);
                freedCount++;
                freedBytes += rows.GetInt64(1);
            }
        }
        if (cutoff < 0)
        {
            return (count, bytes, evicted);
        }

        using SqliteCommand delete = _writer.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = "DELETE FROM dead_letters WHERE id <= $cutoff";
        delete.Parameters.AddWithValue("$cutoff", cutoff);
        int deleted = delete.ExecuteNonQuery();
        if (deleted != freedCount)
        {
            // Only this connection writes, inside this transaction: a mismatch means the file was edited behind us.
            throw new InvalidOperationException($"Dead-letter eviction scanned {freedCount} rows but deleted {deleted}.");
        }
        return (count - freedCount, bytes - freedBytes, evicted + freedCount);
    }

    private static void Validate(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(letter.TenantId, nameof(DeadLetter.TenantId));
        ArgumentNullException.ThrowIfNull(letter.EventId, nameof(DeadLetter.EventId));
        ArgumentNullException.ThrowIfNull(letter.Code, nameof(DeadLetter.Code));
        ArgumentNullException.ThrowIfNull(letter.Message, nameof(DeadLetter.Message));
        ArgumentNullException.ThrowIfNull(letter.ProducerId, nameof(DeadLetter.ProducerId));
        ArgumentNullException.ThrowIfNull(letter.Event, nameof(DeadLetter.Event));
    }
}
