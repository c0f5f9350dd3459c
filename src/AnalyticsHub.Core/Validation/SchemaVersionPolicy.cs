namespace AnalyticsHub.Core.Validation;

/// <summary>
/// Which <c>schema_version</c>s the hub accepts: the current major and the two before it (N-2),
/// so producers have two major releases to upgrade. An empty version is read as the current
/// one — proto3 cannot tell "not set" from "", and older producers never set it.
/// </summary>
public sealed class SchemaVersionPolicy
{
    /// <summary>How many majors are supported, counting the current one (N, N-1, N-2).</summary>
    public const int SupportedMajors = 3;

    /// <summary>A policy whose current major is <paramref name="currentMajor"/> (≥ 0).</summary>
    public SchemaVersionPolicy(int currentMajor = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(currentMajor);
        CurrentMajor = currentMajor;
        OldestMajor = Math.Max(0, currentMajor - (SupportedMajors - 1));
    }

    public int CurrentMajor { get; }

    /// <summary>The oldest major still accepted.</summary>
    public int OldestMajor { get; }

    /// <summary>
    /// <see cref="Rejection.None"/> when accepted; <see cref="Rejection.InvalidSchemaVersion"/>
    /// when it is not semver 2.0.0; <see cref="Rejection.UnknownSchemaVersion"/> when its major is
    /// newer than the current one or older than N-2.
    /// </summary>
    public Rejection Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return Rejection.None;
        }

        if (!SemanticVersion.TryParse(utf8, out var version))
        {
            return Rejection.InvalidSchemaVersion;
        }

        return version.Major >= OldestMajor && version.Major <= CurrentMajor
            ? Rejection.None
            : Rejection.UnknownSchemaVersion;
    }
}
