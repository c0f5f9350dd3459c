using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// The seed schemas' field renames, as data: Registry and Policy Engine events name some common
/// fields their own way. Keys match ASCII-case-insensitively (exact bytes otherwise; no
/// trimming — a JSON key with spaces is a different key). Modules without renames map nothing.
/// </summary>
public static class FieldMappings
{
    private static readonly (SourceModule Module, byte[] From, Canonical To)[] Table =
    [
        (SourceModule.LlmRegistry, "id"u8.ToArray(), Canonical.AssetId),
        (SourceModule.LlmRegistry, "model_version"u8.ToArray(), Canonical.Version),
        (SourceModule.LlmRegistry, "owner_team"u8.ToArray(), Canonical.Owner),
        (SourceModule.LlmPolicyEngine, "violation_id"u8.ToArray(), Canonical.Id),
        (SourceModule.LlmPolicyEngine, "policy_name"u8.ToArray(), Canonical.PolicyId),
        (SourceModule.LlmPolicyEngine, "level"u8.ToArray(), Canonical.Severity),
    ];

    // Canonical names are indices into a switch over u8 literals, so what TryMap hands out points
    // at the assembly's constant data and can never be written through.
    private enum Canonical : byte
    {
        AssetId,
        Version,
        Owner,
        Id,
        PolicyId,
        Severity,
    }

    /// <summary>
    /// The canonical name of <paramref name="module"/>'s field <paramref name="key"/>. False when
    /// the field is not renamed; <paramref name="canonicalKey"/> is then <paramref name="key"/>.
    /// </summary>
    public static bool TryMap(SourceModule module, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> canonicalKey)
    {
        foreach (var (entryModule, from, to) in Table)
        {
            if (entryModule == module && AsciiText.EqualsIgnoreCase(key, from))
            {
                canonicalKey = Name(to);
                return true;
            }
        }

        canonicalKey = key;
        return false;
    }

    private static ReadOnlySpan<byte> Name(Canonical canonical) => canonical switch
    {
        Canonical.AssetId => "asset_id"u8,
        Canonical.Version => "version"u8,
        Canonical.Owner => "owner"u8,
        Canonical.Id => "id"u8,
        Canonical.PolicyId => "policy_id"u8,
        _ => "severity"u8,
    };
}
