namespace AnalyticsHub.Storage.Stores;

/// <summary>The store could not be reached or did not answer in time; the same rows may be written again later.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
