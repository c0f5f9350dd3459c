namespace AnalyticsHub.Client;

/// <summary>How one request message is written.</summary>
/// <param name="NoCompress">Send this message uncompressed even though the call compresses (compressed flag 0).</param>
public readonly record struct WriteOptions(bool NoCompress = false)
{
    /// <summary>Compress when the call compresses.</summary>
    public static WriteOptions Default => default;

    /// <summary>Never compress this message.</summary>
    public static WriteOptions Uncompressed => new(NoCompress: true);
}
