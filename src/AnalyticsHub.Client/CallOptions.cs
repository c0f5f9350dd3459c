using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>Per-call settings. <c>default</c> means: no deadline, no metadata, no cancellation, the channel's compression.</summary>
public readonly struct CallOptions
{
    /// <summary>The moment the call must be finished by, in UTC (a local time is converted). Null or <see cref="DateTime.MaxValue"/>: none.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>A deadline relative to the start of the call; when both are set, the earlier one counts.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Custom request metadata, sent as HTTP/2 headers (binary <c>-bin</c> values base64-encoded).</summary>
    public Metadata? Headers { get; init; }

    /// <summary>Cancels the call: it ends with CANCELLED and its HTTP/2 stream is reset.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// The <c>grpc-encoding</c> for request messages (<c>gzip</c>, <c>deflate</c>, <c>identity</c>);
    /// null takes the channel's <see cref="GrpcChannelOptions.CompressionEncoding"/>.
    /// </summary>
    public string? CompressionEncoding { get; init; }

    /// <summary>Options for the request message of a unary or server-streaming call (e.g. to send it uncompressed).</summary>
    public WriteOptions WriteOptions { get; init; }

    /// <summary>The effective deadline in UTC: the earlier of <see cref="Deadline"/> and now + <see cref="Timeout"/>.</summary>
    internal DateTime GetEffectiveDeadline(DateTime utcNow)
    {
        var deadline = DateTime.MaxValue;
        if (Deadline is { } d && d != DateTime.MaxValue)
        {
            deadline = d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc);
        }

        if (Timeout is { } t && t != System.Threading.Timeout.InfiniteTimeSpan)
        {
            var fromTimeout = t >= DateTime.MaxValue - utcNow ? DateTime.MaxValue : utcNow + (t < TimeSpan.Zero ? TimeSpan.Zero : t);
            if (fromTimeout < deadline)
            {
                deadline = fromTimeout;
            }
        }

        return deadline;
    }
}
