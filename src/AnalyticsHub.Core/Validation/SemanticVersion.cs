namespace AnalyticsHub.Core.Validation;

/// <summary>
/// A Semantic Versioning 2.0.0 version (<c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c>) parsed from
/// UTF-8 without allocating. Only the numbers are kept; the pre-release and build parts are
/// checked for syntax and remembered as flags, since schema compatibility depends on the major
/// alone. Strict per the spec: no leading <c>v</c>, no whitespace, no leading zeros in numeric
/// parts, every part must fit in an <see cref="int"/>.
/// </summary>
public readonly record struct SemanticVersion(int Major, int Minor, int Patch, bool IsPrerelease, bool HasBuildMetadata)
{
    /// <summary>Parses <paramref name="utf8"/>; false (and <c>default</c>) when it is not semver 2.0.0.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out SemanticVersion version)
    {
        version = default;
        int pos = 0;
        if (!TryNumber(utf8, ref pos, out int major) || !Expect(utf8, ref pos, (byte)'.')
            || !TryNumber(utf8, ref pos, out int minor) || !Expect(utf8, ref pos, (byte)'.')
            || !TryNumber(utf8, ref pos, out int patch))
        {
            return false;
        }

        bool prerelease = false;
        if (pos < utf8.Length && utf8[pos] == (byte)'-')
        {
            pos++;
            if (!TryIdentifiers(utf8, ref pos, numericLeadingZeroAllowed: false))
            {
                return false;
            }

            prerelease = true;
        }

        bool build = false;
        if (pos < utf8.Length && utf8[pos] == (byte)'+')
        {
            pos++;
            if (!TryIdentifiers(utf8, ref pos, numericLeadingZeroAllowed: true))
            {
                return false;
            }

            build = true;
        }

        if (pos != utf8.Length)
        {
            return false;
        }

        version = new SemanticVersion(major, minor, patch, prerelease, build);
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> s, ref int pos, byte c)
    {
        if (pos < s.Length && s[pos] == c)
        {
            pos++;
            return true;
        }

        return false;
    }

    // A numeric part: "0" or a non-zero digit followed by digits, at most int.MaxValue.
    private static bool TryNumber(ReadOnlySpan<byte> s, ref int pos, out int value)
    {
        value = 0;
        int start = pos;
        long acc = 0;
        while (pos < s.Length && IsDigit(s[pos]))
        {
            acc = (acc * 10) + (s[pos] - '0');
            if (acc > int.MaxValue)
            {
                return false;
            }

            pos++;
        }

        int length = pos - start;
        if (length == 0 || (length > 1 && s[start] == (byte)'0'))
        {
            return false;
        }

        value = (int)acc;
        return true;
    }

    // Dot-separated, non-empty identifiers of [0-9A-Za-z-]; stops at '+' or the end.
    // Pre-release identifiers made only of digits may not have leading zeros; build ones may.
    private static bool TryIdentifiers(ReadOnlySpan<byte> s, ref int pos, bool numericLeadingZeroAllowed)
    {
        while (true)
        {
            int start = pos;
            bool allDigits = true;
            while (pos < s.Length && s[pos] != (byte)'.' && s[pos] != (byte)'+')
            {
                byte c = s[pos];
                if (IsDigit(c))
                {
                    // digit: keeps allDigits as it is
                }
                else if (IsAsciiLetter(c) || c == (byte)'-')
                {
                    allDigits = false;
                }
                else
                {
                    return false;
                }

                pos++;
            }

            int length = pos - start;
            if (length == 0 || (!numericLeadingZeroAllowed && allDigits && length > 1 && s[start] == (byte)'0'))
            {
                return false;
            }

            if (pos < s.Length && s[pos] == (byte)'.')
            {
                pos++;
                continue;
            }

            // A '+' inside build metadata is not allowed; the caller sees pos != Length and fails.
            return true;
        }
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static bool IsAsciiLetter(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
}
