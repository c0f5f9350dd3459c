namespace AnalyticsHub.Protocol.Json;

/// <summary>Limits for <see cref="JsonEventBatchTranscoder"/>; bounds on hostile input, not schema rules.</summary>
public sealed record JsonTranscodeOptions
{
    /// <summary>The shared default (1000 events, depth 16, 1 MiB strings, 100 errors).</summary>
    public static JsonTranscodeOptions Default { get; } = new();

    /// <summary>Most events one body may carry; one more sets <see cref="JsonTranscodeResult.TooManyEvents"/>.</summary>
    public int MaxEvents { get; init; } = 1000;

    /// <summary>Deepest nesting of JSON objects and arrays, counting the body itself.</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Longest string value or key, in UTF-8 bytes as sent (escapes included).</summary>
    public int MaxStringBytes { get; init; } = 1 << 20;

    /// <summary>Most errors reported; reading stops at the first one past it.</summary>
    public int MaxErrors { get; init; } = 100;
}
