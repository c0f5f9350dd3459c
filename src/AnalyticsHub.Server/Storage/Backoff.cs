namespace AnalyticsHub.Server.Storage;

/// <summary>Exponential backoff with full jitter between an initial and a maximum delay.</summary>
internal struct Backoff(int initialMs, int maxMs)
{
    /// <summary>Delays handed out so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>The last delay handed out (zero before the first).</summary>
    public TimeSpan Current { get; private set; }

    public TimeSpan Next()
    {
        Attempts++;
        double ceiling = Math.Min(maxMs, initialMs * Math.Pow(2, Math.Min(Attempts - 1, 30)));
        // Half fixed, half random: spreads retries of many hubs without ever retrying at once.
        Current = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        return Current;
    }
}
