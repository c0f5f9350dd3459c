namespace AnalyticsHub.Server.Tests.Tracing;

/// <summary>One span as an OTLP collector received it (ids in lower-case hex, as in a <c>traceparent</c>).</summary>
internal sealed record ExportedSpan(
    string ServiceName,
    string ScopeName,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    IReadOnlyDictionary<string, object> Attributes,
    int StatusCode,
    string StatusMessage)
{
    /// <summary>OTLP's <c>STATUS_CODE_ERROR</c>.</summary>
    public const int Error = 2;

    public object? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() =>
        $"{Name} trace={TraceId} span={SpanId} parent={ParentSpanId} status={StatusCode} {{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}}";
}
