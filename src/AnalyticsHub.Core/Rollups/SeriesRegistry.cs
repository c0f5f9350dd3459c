using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// Interns rollup series: an event's series key (tenant, module, type, severity, metric,
/// environment, asset and tag dimensions) encoded into a stack buffer and looked up without
/// allocating; a new series allocates its <see cref="SeriesInfo"/> once. A tenant past
/// <see cref="RollupOptions.MaxSeriesPerTenant"/> gets overflow series instead: first one per
/// module/type/severity/metric with every other dimension <c>__other__</c> (up to a tenth of
/// the cap), then a single tenant-wide one whose metric is <c>__other__</c> too — so memory is
/// bounded whatever producers send. Past <see cref="RollupOptions.MaxSeries"/> series in all,
/// new series of any tenant go to that tenant-wide one (one per tenant). Single writer; readers take the engine's lock.
/// </summary>
public sealed class SeriesRegistry
{
    /// <summary>Longest text kept per key component; longer values are cut (UTF-8 bytes).</summary>
    public const int MaxComponentBytes = 256;

    private static readonly byte[] DefaultTenant = "default"u8.ToArray();
    private static readonly byte[] OtherBytes = Encoding.UTF8.GetBytes(SeriesInfo.Other);

    private readonly Dictionary<byte[], int> _ids = new(KeyComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Dictionary<string, TenantCount> _tenants = new(StringComparer.Ordinal);
    private readonly List<SeriesInfo> _series = [];
    private readonly Dictionary<(string Tenant, string Key), int> _byKey = [];
    private readonly Dictionary<(string Tenant, string Metric), List<SeriesInfo>> _byMetric = [];
    private readonly Dictionary<string, List<SeriesInfo>> _byTenant = new(StringComparer.Ordinal);
    private readonly SeriesDimensions _dimensions;
    private readonly (TagSource Source, byte[] Key)[][] _candidates;
    private readonly int _maxPerTenant;
    private readonly int _maxSeries;
    private readonly int _maxOverflowPerTenant;
    private readonly int _maxKeyLength;

    public SeriesRegistry(SeriesDimensions dimensions, int maxSeriesPerTenant, int maxSeries = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerTenant, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        _dimensions = dimensions;
        _maxPerTenant = maxSeriesPerTenant;
        _maxSeries = maxSeries;
        _maxOverflowPerTenant = Math.Max(16, maxSeriesPerTenant / 10);
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<byte>>();
        _candidates = [.. dimensions.Tags.Select(t => dimensions.Candidates(t).Select(c => (c.Source, Encoding.UTF8.GetBytes(c.Key))).ToArray())];
        _maxKeyLength = 3 + (4 + dimensions.Tags.Count) * (2 + MaxComponentBytes);
    }

    public SeriesDimensions Dimensions => _dimensions;

    public int Count => _series.Count;

    /// <summary>Events that landed in an overflow series because their tenant was at its cap.</summary>
    public long OverflowEvents { get; private set; }

    public SeriesInfo this[int id] => _series[id];

    public IReadOnlyList<SeriesInfo> All => _series;

    /// <summary>The series of <paramref name="row"/> (created on first sight).</summary>
    [SkipLocalsInit] // the key buffer is written before it is read
    public int Resolve(EventBatch batch, in EventRow row)
    {
        Span<byte> buffer = _maxKeyLength <= 4096 ? stackalloc byte[4096] : new byte[_maxKeyLength];
        int length = Encode(batch, row, buffer, overflowTier: 0);
        var key = buffer[..length];
        return _lookup.TryGetValue(key, out int id) ? id : AddSlow(batch, row, key, buffer);
    }

    /// <summary>Registers a series read back from persisted rollups (restart warm-up), or finds it.</summary>
    public int Register(SeriesInfo template)
    {
        var key = EncodeInfo(template);
        if (_ids.TryGetValue(key, out int id))
        {
            return id;
        }

        var counts = TenantCounts(template.TenantId);
        if (template.IsOverflow)
        {
            counts.Overflow++;
        }
        else
        {
            counts.Normal++;
        }
        return Add(key, template.TenantId, template.SourceModule, template.EventType, template.Severity, template.Metric,
            template.Environment, template.AssetId, [.. template.TagValues], template.IsOverflow);
    }

    private int AddSlow(EventBatch batch, in EventRow row, ReadOnlySpan<byte> key, Span<byte> buffer)
    {
        var tenant = Text(Cut(TenantOf(batch, row)));
        var counts = TenantCounts(tenant);
        bool full = _series.Count >= _maxSeries;
        if (counts.Normal < _maxPerTenant && !full)
        {
            counts.Normal++;
            return AddFromRow(key.ToArray(), tenant, batch, row, overflowTier: 0);
        }

        OverflowEvents++;
        // Past the hub-wide cap only the tenant's single catch-all series may still be created.
        int tier = counts.Overflow < _maxOverflowPerTenant && !full ? 1 : 2;
        int length = Encode(batch, row, buffer, tier);
        if (_lookup.TryGetValue(buffer[..length], out int id))
        {
            return id;
        }

        counts.Overflow++;
        return AddFromRow(buffer[..length].ToArray(), tenant, batch, row, tier);
    }

    private TenantCount TenantCounts(string tenant)
    {
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_tenants, tenant, out _);
        return counts ??= new TenantCount();
    }

    private int AddFromRow(byte[] key, string tenant, EventBatch batch, in EventRow row, int overflowTier)
    {
        bool other = overflowTier > 0;
        var tags = new string[_candidates.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = other ? SeriesInfo.Other : Text(TagValue(batch, row, i));
        }

        return Add(key, tenant, row.SourceModule, row.EventType, row.Severity,
            overflowTier == 2 ? SeriesInfo.Other : Text(Cut(batch.Bytes(row.PayloadName))),
            other ? SeriesInfo.Other : Text(Cut(batch.Bytes(row.Environment))),
            other ? SeriesInfo.Other : Text(Cut(batch.Bytes(row.AssetId))),
            tags, other);
    }

    private int Add(byte[] key, string tenant, SourceModule module, EventType type, Severity severity, string metric,
        string environment, string assetId, string[] tags, bool overflow)
    {
        int id = _series.Count;
        var info = new SeriesInfo(id, tenant, module, type, severity, metric, environment, assetId, tags, _dimensions, overflow);
        _series.Add(info);
        _ids.Add(key, id);
        _byKey[(tenant, info.Key)] = id;
        Index(_byMetric, (tenant, metric), info);
        Index(_byTenant, tenant, info);
        return id;
    }

    /// <summary>A tenant's series of one metric (read under the engine's lock).</summary>
    public IReadOnlyList<SeriesInfo> OfMetric(string tenant, string metric) =>
        _byMetric.TryGetValue((tenant, metric), out var list) ? list : [];

    /// <summary>All of a tenant's series (read under the engine's lock).</summary>
    public IReadOnlyList<SeriesInfo> OfTenant(string tenant) =>
        _byTenant.TryGetValue(tenant, out var list) ? list : [];

    private static void Index<TKey>(Dictionary<TKey, List<SeriesInfo>> index, TKey key, SeriesInfo info)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(info);
    }

    /// <summary>The series with canonical key <paramref name="key"/> (<see cref="SeriesInfo.Key"/>), if registered.</summary>
    public int? FindByKey(string tenant, string key) => _byKey.TryGetValue((tenant, key), out int id) ? id : null;

    /// <summary>
    /// Key layout: tenant, then module, type and severity as one byte each, then metric,
    /// environment, asset and each tag value, every text as a 2-byte length and its bytes.
    /// Tier 1 replaces environment, asset and tags by <c>__other__</c>; tier 2 the metric too.
    /// </summary>
    private int Encode(EventBatch batch, in EventRow row, Span<byte> into, int overflowTier)
    {
        int at = Put(into, 0, TenantOf(batch, row));
        into[at++] = (byte)row.SourceModule;
        into[at++] = (byte)row.EventType;
        into[at++] = (byte)row.Severity;
        at = Put(into, at, overflowTier == 2 ? OtherBytes : batch.Bytes(row.PayloadName));
        if (overflowTier > 0)
        {
            into[at++] = (byte)overflowTier; // cannot collide: a 2-byte length never fits one byte here
            return at;
        }

        at = Put(into, at, batch.Bytes(row.Environment));
        at = Put(into, at, batch.Bytes(row.AssetId));
        for (int i = 0; i < _candidates.Length; i++)
        {
            at = Put(into, at, TagValue(batch, row, i));
        }
        return at;
    }

    private byte[] EncodeInfo(SeriesInfo info)
    {
        var buffer = new byte[_maxKeyLength];
        int at = Put(buffer, 0, Encoding.UTF8.GetBytes(info.TenantId));
        buffer[at++] = (byte)info.SourceModule;
        buffer[at++] = (byte)info.EventType;
        buffer[at++] = (byte)info.Severity;
        bool tier2 = info.IsOverflow && info.Metric == SeriesInfo.Other;
        at = Put(buffer, at, Encoding.UTF8.GetBytes(info.Metric));
        if (info.IsOverflow)
        {
            buffer[at++] = (byte)(tier2 ? 2 : 1);
            return buffer[..at];
        }

        at = Put(buffer, at, Encoding.UTF8.GetBytes(info.Environment));
        at = Put(buffer, at, Encoding.UTF8.GetBytes(info.AssetId));
        foreach (var tag in info.TagValues)
        {
            at = Put(buffer, at, Encoding.UTF8.GetBytes(tag));
        }
        return buffer[..at];
    }

    private ReadOnlySpan<byte> TagValue(EventBatch batch, in EventRow row, int tag)
    {
        foreach (var (source, key) in _candidates[tag])
        {
            var pairs = source == TagSource.Tags ? batch.PairsOf(row.TagStart, row.TagCount) : batch.PairsOf(row.PayloadPairStart, row.PayloadPairCount);
            foreach (ref readonly var pair in pairs)
            {
                if (batch.Bytes(pair.Key).SequenceEqual(key))
                {
                    return batch.Bytes(pair.Value);
                }
            }
        }
        return default;
    }

    private static ReadOnlySpan<byte> TenantOf(EventBatch batch, in EventRow row) =>
        row.TenantId.IsEmpty ? DefaultTenant : batch.Bytes(row.TenantId);

    private static int Put(Span<byte> into, int at, ReadOnlySpan<byte> text)
    {
        text = Cut(text);
        into[at] = (byte)text.Length;
        into[at + 1] = (byte)(text.Length >> 8);
        text.CopyTo(into[(at + 2)..]);
        return at + 2 + text.Length;
    }

    /// <summary>At most <see cref="MaxComponentBytes"/>, not splitting a UTF-8 sequence.</summary>
    private static ReadOnlySpan<byte> Cut(ReadOnlySpan<byte> text)
    {
        if (text.Length <= MaxComponentBytes)
        {
            return text;
        }
        int end = MaxComponentBytes;
        while (end > 0 && (text[end] & 0xC0) == 0x80)
        {
            end--;
        }
        return text[..end];
    }

    private static string Text(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? "" : Encoding.UTF8.GetString(utf8);

    private sealed class TenantCount
    {
        public int Normal;
        public int Overflow;
    }

    private sealed class KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] key) => GetHashCode((ReadOnlySpan<byte>)key);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        // Seeded per process (HashCode), so crafted keys cannot flood one chain.
        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
