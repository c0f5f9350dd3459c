using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// Maps severity words from other vocabularies (syslog, CVSS-style risk levels, logging
/// frameworks) onto <see cref="Severity"/>. ASCII-case-insensitive after trimming whitespace.
/// Risk words map by impact: <c>low</c> → Info, <c>medium</c>/<c>moderate</c> → Warning,
/// <c>high</c>/<c>severe</c> → Error. The canonical names (<c>WARNING</c>, …) map to themselves.
/// </summary>
public static class SeverityMapper
{
    private static readonly (byte[] Name, Severity Severity)[] Table =
    [
        ("debug"u8.ToArray(), Severity.Debug),
        ("trace"u8.ToArray(), Severity.Debug),
        ("verbose"u8.ToArray(), Severity.Debug),
        ("info"u8.ToArray(), Severity.Info),
        ("informational"u8.ToArray(), Severity.Info),
        ("low"u8.ToArray(), Severity.Info),
        ("notice"u8.ToArray(), Severity.Info),
        ("warning"u8.ToArray(), Severity.Warning),
        ("warn"u8.ToArray(), Severity.Warning),
        ("medium"u8.ToArray(), Severity.Warning),
        ("moderate"u8.ToArray(), Severity.Warning),
        ("error"u8.ToArray(), Severity.Error),
        ("err"u8.ToArray(), Severity.Error),
        ("high"u8.ToArray(), Severity.Error),
        ("severe"u8.ToArray(), Severity.Error),
        ("critical"u8.ToArray(), Severity.Critical),
        ("crit"u8.ToArray(), Severity.Critical),
        ("fatal"u8.ToArray(), Severity.Critical),
        ("emergency"u8.ToArray(), Severity.Critical),
        ("alert"u8.ToArray(), Severity.Critical),
    ];

    /// <summary>
    /// The severity <paramref name="text"/> names; false (and <see cref="Severity.Unspecified"/>)
    /// for words not in the table, including the empty string.
    /// </summary>
    public static bool TryMap(ReadOnlySpan<byte> text, out Severity severity)
    {
        ReadOnlySpan<byte> key = AsciiText.Trim(text);
        foreach (var (name, mapped) in Table)
        {
            if (AsciiText.EqualsIgnoreCase(key, name))
            {
                severity = mapped;
                return true;
            }
        }

        severity = Severity.Unspecified;
        return false;
    }
}
