using System.Net.Sockets;
using Npgsql;

namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>
/// Sorts what Npgsql throws into the store contract's two failures: transient
/// (<see cref="StoreUnavailableException"/>: retry the same rows later) or refused
/// (<see cref="StoreRejectedException"/>: these rows, or this schema, will fail again).
/// </summary>
/// <remarks>
/// By SQLSTATE class (https://www.postgresql.org/docs/current/errcodes-appendix.html):
/// <list type="bullet">
/// <item>rows refused: 22 data exception (invalid JSON 22P02, a NUL or invalid UTF-8 22021,
/// out-of-range values), 23 integrity constraint, 42804 datatype mismatch, 54000 program limit
/// (a jsonb or row too large);</item>
/// <item>everything else while writing is transient — connection (08), resources (53), operator
/// intervention (57: shutdown, statement timeout), rollbacks (40: serialization, deadlock), lock
/// timeouts (55P03), system errors (58), and also missing tables or privileges (42P01, 42501): the
/// rows are not at fault, an operator can repair the schema, and nothing is lost while the WAL
/// keeps them;</item>
/// <item>while creating the schema, any answer outside the transient classes (permission denied,
/// unknown database, authentication) is a refusal an operator has to act on.</item>
/// </list>
/// </remarks>
internal static class PostgresFailures
{
    /// <summary>True for an exception this class maps (Npgsql, socket, timeout); others are bugs and propagate.</summary>
    public static bool IsStoreFailure(Exception e) =>
        e is NpgsqlException or SocketException or TimeoutException or IOException;

    public static bool IsRowRefusal(string sqlState) =>
        sqlState.StartsWith("22", StringComparison.Ordinal)
        || sqlState.StartsWith("23", StringComparison.Ordinal)
        || sqlState is "42804" or "54000";

    public static bool IsTransient(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57", StringComparison.Ordinal)
        || sqlState.StartsWith("40", StringComparison.Ordinal)
        || sqlState.StartsWith("58", StringComparison.Ordinal)
        || sqlState is "55P03" or "55006" or "XX000";

    /// <summary>A failure of a write (COPY + checkpoint) or other data statement.</summary>
    public static Exception ForWrite(Exception e, string endpoint, string what)
    {
        if (e is PostgresException pg && IsRowRefusal(pg.SqlState))
        {
            return new StoreRejectedException(
                $"PostgreSQL at {endpoint} refused the rows of {what}: {ServerMessage(pg)}", ServerMessage(pg), e);
        }

        return Unavailable(e, endpoint, what);
    }

    /// <summary>A failure while connecting or creating the schema.</summary>
    public static Exception ForSchema(Exception e, string endpoint, string what)
    {
        if (e is PostgresException pg && !IsTransient(pg.SqlState))
        {
            return new StoreRejectedException(
                $"PostgreSQL at {endpoint} refused {what}: {ServerMessage(pg)}", ServerMessage(pg), e);
        }

        return Unavailable(e, endpoint, what);
    }

    public static StoreUnavailableException Unavailable(Exception e, string endpoint, string what)
    {
        string reason = e switch
        {
            PostgresException pg => ServerMessage(pg),
            NpgsqlException { InnerException: TimeoutException } => "timed out",
            NpgsqlException { InnerException: SocketException s } => s.Message,
            NpgsqlException { InnerException: IOException { InnerException: SocketException s } } => s.Message,
            _ => e.Message,
        };
        bool connecting = e is NpgsqlException { InnerException: SocketException or TimeoutException } or SocketException
            || (e is NpgsqlException npg && npg.Message.StartsWith("Failed to connect", StringComparison.Ordinal));
        string message = connecting
            ? $"PostgreSQL at {endpoint} is unreachable ({what}): {reason}"
            : $"PostgreSQL at {endpoint} is unavailable ({what}): {reason}";
        return new StoreUnavailableException(message, e);
    }

    /// <summary>The server's words as the dead-letter log keeps them: SQLSTATE, message, detail and where (e.g. the COPY line).</summary>
    public static string ServerMessage(PostgresException pg)
    {
        string text = pg.SqlState + ": " + pg.MessageText;
        if (!string.IsNullOrEmpty(pg.Detail))
        {
            text += " (" + pg.Detail + ")";
        }

        if (!string.IsNullOrEmpty(pg.Where))
        {
            text += " [" + pg.Where + "]";
        }

        return text;
    }
}
