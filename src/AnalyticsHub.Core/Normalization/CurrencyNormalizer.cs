using System.Collections.Frozen;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// Converts cost amounts to US dollars. <c>USD</c> is taken as is, <c>USD_CENTS</c> and
/// <c>cents</c> are divided by 100, any other ISO 4217 code goes through the exchange-rate table
/// given at construction. Codes match ASCII-case-insensitively after trimming whitespace. An
/// empty currency is read as USD: CostOps reports in dollars and proto3 cannot tell "unset"
/// from "". A code not in the table is <see cref="Rejection.UnknownCurrency"/>.
/// </summary>
/// <remarks>
/// Lookups pack the three letters into an <see cref="int"/> key, so they never build a string.
/// The table is fixed per instance; to apply new rates, build a new normalizer and swap the
/// reference (readers then see either the old or the new table, never a mix).
/// </remarks>
public sealed class CurrencyNormalizer
{
    private static readonly int UsdKey = PackCode("USD"u8);

    private readonly FrozenDictionary<int, double> _usdPerUnit;

    /// <summary>
    /// A normalizer with <paramref name="usdPerUnit"/>: ISO 4217 code → US dollars per one unit of
    /// that currency (e.g. <c>EUR → 1.08</c>). Codes are three ASCII letters, any case; rates are
    /// finite and &gt; 0. A USD entry, if present, must be 1.
    /// </summary>
    public CurrencyNormalizer(IReadOnlyDictionary<string, double>? usdPerUnit = null)
    {
        var rates = new Dictionary<int, double>();
        foreach (var (code, rate) in usdPerUnit ?? new Dictionary<string, double>())
        {
            int key = code is { Length: 3 } ? PackCode(System.Text.Encoding.ASCII.GetBytes(code)) : 0;
            if (key == 0)
            {
                throw new ArgumentException($"'{code}' is not a three-letter ISO 4217 code.", nameof(usdPerUnit));
            }

            if (!double.IsFinite(rate) || rate <= 0 || (key == UsdKey && rate != 1))
            {
                throw new ArgumentException($"Rate {rate} for '{code}' must be finite and > 0 (and 1 for USD).", nameof(usdPerUnit));
            }

            if (!rates.TryAdd(key, rate))
            {
                throw new ArgumentException($"'{code}' is given twice (codes are case-insensitive).", nameof(usdPerUnit));
            }
        }

        _usdPerUnit = rates.ToFrozenDictionary();
    }

    /// <summary>How many currencies the rate table holds (USD and cents not counted).</summary>
    public int RateCount => _usdPerUnit.Count;

    /// <summary>
    /// <paramref name="amount"/> in <paramref name="currency"/> as US dollars; on
    /// <see cref="Rejection.UnknownCurrency"/>, <paramref name="usd"/> is 0. The amount itself is
    /// not checked (<c>PayloadRules.CheckCostAmount</c> does that, after conversion).
    /// </summary>
    public Rejection TryToUsd(ReadOnlySpan<byte> currency, double amount, out double usd)
    {
        ReadOnlySpan<byte> code = AsciiText.Trim(currency);
        if (code.IsEmpty || AsciiText.EqualsIgnoreCase(code, "USD"u8))
        {
            usd = amount;
            return Rejection.None;
        }

        if (AsciiText.EqualsIgnoreCase(code, "USD_CENTS"u8) || AsciiText.EqualsIgnoreCase(code, "cents"u8))
        {
            usd = amount / 100;
            return Rejection.None;
        }

        if (_usdPerUnit.TryGetValue(PackCode(code), out double rate))
        {
            usd = amount * rate;
            return Rejection.None;
        }

        usd = 0;
        return Rejection.UnknownCurrency;
    }

    // Three ASCII letters, upper-cased, as 'A' << 16 | 'B' << 8 | 'C'; 0 for anything else
    // (0 is never a valid key since letters are non-zero).
    private static int PackCode(ReadOnlySpan<byte> code)
    {
        if (code.Length != 3)
        {
            return 0;
        }

        int key = 0;
        foreach (byte c in code)
        {
            if (!AsciiText.IsLetter(c))
            {
                return 0;
            }

            key = (key << 8) | (c & ~0x20);
        }

        return key;
    }
}
