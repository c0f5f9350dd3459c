namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// One remembered event id, 24 bytes: the exact 128 bits of the UUID, and a word holding a
/// 56-bit fingerprint of the tenant (bits 8–63, bit 8 always set so a used slot is never all
/// zeros) and the generation the id was added in (bits 0–7, see <see cref="EventIdStripe"/>).
/// </summary>
internal readonly struct EventIdKey
{
    public readonly ulong High;
    public readonly ulong Low;
    private readonly ulong _tenantAndStamp;

    public EventIdKey(ulong high, ulong low, ulong tenantFingerprint, byte stamp = 0)
    {
        High = high;
        Low = low;
        _tenantAndStamp = (tenantFingerprint & ~0xFFUL) | 0x100 | stamp;
    }

    private EventIdKey(in EventIdKey key, byte stamp)
    {
        High = key.High;
        Low = key.Low;
        _tenantAndStamp = (key._tenantAndStamp & ~0xFFUL) | stamp;
    }

    /// <summary>The tenant fingerprint (bits 8–63); the hash covers this, never the stamp.</summary>
    public ulong Tenant => _tenantAndStamp & ~0xFFUL;

    public byte Stamp => (byte)_tenantAndStamp;

    public bool IsEmpty => _tenantAndStamp == 0;

    public EventIdKey WithStamp(byte stamp) => new(this, stamp);

    /// <summary>Same id in the same tenant, whatever generation each was stamped with.</summary>
    public bool SameId(in EventIdKey other) =>
        High == other.High && Low == other.Low && ((_tenantAndStamp ^ other._tenantAndStamp) >> 8) == 0;
}
