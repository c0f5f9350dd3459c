namespace AnalyticsHub.Storage.Wal;

/// <summary>
/// The write-ahead log cannot be opened or written: missing permissions, a read-only or full
/// disk, a path that is not a directory. Carries the path and the underlying OS error; the
/// log is never left half-written because of it (what was committed stays committed).
/// </summary>
public sealed class WalUnavailableException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public WalUnavailableException(string path, string message, Exception? innerException)
        : base($"WAL at '{path}' is unavailable: {message}{(innerException is null ? "" : $" ({innerException.Message})")}", innerException)
    {
        Path = path;
    }

    /// <summary>The directory or file the failure concerns.</summary>
    public string Path { get; }
}
