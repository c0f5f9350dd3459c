namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// The store answered and refused the rows (or the schema): writing them again as they are will
/// fail again. <see cref="ServerMessage"/> is the server's own words, kept for the dead-letter log.
/// </summary>
public sealed class StoreRejectedException(string message, string serverMessage, Exception? inner = null) : Exception(message, inner)
{
    public string ServerMessage { get; } = serverMessage;
}
