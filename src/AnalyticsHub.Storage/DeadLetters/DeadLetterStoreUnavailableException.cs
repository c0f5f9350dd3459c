namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>
/// The dead-letter store cannot be opened, read or written: a missing or read-only directory,
/// a path under a regular file, a full disk, a file that is not a dead-letter database.
/// Carries the path and the underlying error. A failed <see cref="DeadLetterStore.Add"/> adds
/// nothing, so the caller may retry it (the WAL still holds the letters).
/// </summary>
public sealed class DeadLetterStoreUnavailableException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public DeadLetterStoreUnavailableException(string path, string reason, Exception? innerException)
        : base($"Dead-letter store at '{path}' is unavailable: {reason}{(innerException is null ? "" : $" ({innerException.Message})")}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The database file the failure concerns.</summary>
    public string Path { get; }

    /// <summary>What the store was doing when it failed.</summary>
    public string Reason { get; }
}
