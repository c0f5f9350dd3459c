using System.Text;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>Listing and fetching letters; each call runs on its own pooled connection.</summary>
public sealed partial class DeadLetterStore
{
    /// <summary>One page of letters matching <paramref name="query"/>, ascending by id.</summary>
    /// <exception cref="ArgumentException">The cursor is not one this store produced, or the
    /// limit is outside 1..<see cref="DeadLetterQuery.MaxLimit"/>.</exception>
    /// <exception cref="DeadLetterStoreUnavailableException">The read failed.</exception>
    public DeadLetterPage List(DeadLetterQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(DeadLetterQuery.Limit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, DeadLetterQuery.MaxLimit, nameof(DeadLetterQuery.Limit));
        long afterId = query.Cursor is null ? 0 : DeadLetterCursor.Decode(query.Cursor);
        ObjectDisposedException.ThrowIf(_disposed, this);

        try
        {
            using SqliteConnection connection = OpenReader();
            using SqliteCommand command = connection.CreateCommand();
            // One row more than the page tells whether a next page exists.
            DeadLetterFilter.Build(command, query, afterId, query.Limit + 1);
            var items = new List<DeadLetterView>(Math.Min(query.Limit + 1, 128));
            using (SqliteDataReader rows = command.ExecuteReader())
            {
                while (rows.Read())
                {
                    items.Add(DeadLetterSchema.ReadView(rows));
                }
            }
            if (items.Count <= query.Limit)
            {
                return new DeadLetterPage(items, null);
            }
            items.RemoveAt(items.Count - 1);
            return new DeadLetterPage(items, DeadLetterCursor.Encode(items[^1].Letter.Id));
        }
        catch (SqliteException e)
        {
            throw Unavailable("cannot list dead letters", e);
        }
    }

    /// <summary>The stored letters among <paramref name="ids"/>, ascending by id; ids that
    /// were never assigned or were evicted are left out.</summary>
    /// <exception cref="DeadLetterStoreUnavailableException">The read failed.</exception>
    public IReadOnlyList<DeadLetter> Get(IReadOnlyCollection<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ids.Count == 0)
        {
            return [];
        }

        try
        {
            using SqliteConnection connection = OpenReader();
            using SqliteCommand command = connection.CreateCommand();
            // One JSON-array parameter instead of one parameter per id: no limit on the count,
            // and the SQL text stays constant.
            command.CommandText = DeadLetterSchema.SelectColumns + " WHERE id IN (SELECT value FROM json_each($ids)) ORDER BY id";
            command.Parameters.AddWithValue("$ids", ToJsonArray(ids));
            var letters = new List<DeadLetter>(ids.Count);
            using SqliteDataReader rows = command.ExecuteReader();
            while (rows.Read())
            {
                letters.Add(DeadLetterSchema.ReadView(rows).Letter);
            }
            return letters;
        }
        catch (SqliteException e)
        {
            throw Unavailable("cannot read dead letters", e);
        }
    }

    private static string ToJsonArray(IReadOnlyCollection<long> ids)
    {
        var json = new StringBuilder(ids.Count * 8).Append('[');
        foreach (long id in ids)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }
            json.Append(id);
        }
        return json.Append(']').ToString();
    }
}
