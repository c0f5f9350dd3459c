using System.Collections;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// Custom metadata: ordered key/value entries. Keys are lower-case ASCII; keys ending in
/// <c>-bin</c> carry bytes (base64 on the wire), all others carry printable ASCII text.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public Entry this[int index] => _entries[index];

    public void Add(string key, string value) => _entries.Add(new Entry(key, value));

    public void Add(string key, byte[] value) => _entries.Add(new Entry(key, value));

    public void Add(Entry entry) => _entries.Add(entry);

    /// <summary>The last entry with this key, or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }

        return null;
    }

    public string? GetValue(string key) => Get(key)?.Value;

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a header name may carry custom metadata (not a pseudo-header or reserved by gRPC or HTTP/2).</summary>
    public static bool IsCustomHeader(string key)
    {
        if (key.Length == 0 || key[0] == ':')
        {
            return false;
        }

        if (key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            && !key.Equals("te", StringComparison.OrdinalIgnoreCase)
            && !key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
            && !key.Equals("connection", StringComparison.OrdinalIgnoreCase)
            && !key.Equals("host", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One metadata entry; exactly one of <see cref="Value"/> and <see cref="ValueBytes"/> is set.</summary>
    public sealed class Entry
    {
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' ends in '{BinarySuffix}' and needs a byte[] value.", nameof(key));
            }

            Value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' must end in '{BinarySuffix}' to carry a byte[] value.", nameof(key));
            }

            ValueBytes = value ?? throw new ArgumentNullException(nameof(value));
        }

        public string Key { get; }

        public string? Value { get; }

        public byte[]? ValueBytes { get; }

        public bool IsBinary => ValueBytes is not null;

        /// <summary>The value as it goes on the wire (base64 without padding for binary keys).</summary>
        public string ToHeaderValue() => ValueBytes is { } bytes ? Convert.ToBase64String(bytes).TrimEnd('=') : Value!;

        /// <summary>Builds an entry from a received header; binary values are base64, padded or not.</summary>
        public static Entry FromHeader(string key, string value)
        {
            if (!IsBinaryKey(key))
            {
                return new Entry(key, value);
            }

            var padded = (value.Length % 4) switch
            {
                2 => value + "==",
                3 => value + "=",
                _ => value,
            };
            return new Entry(key, Convert.FromBase64String(padded));
        }

        public override string ToString() => $"{Key}={ToHeaderValue()}";

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            foreach (var c in key)
            {
                var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
                if (!valid)
                {
                    throw new ArgumentException($"Metadata key '{key}' has a character outside [a-z0-9-_.].", nameof(key));
                }
            }

            return key.ToLowerInvariant();
        }
    }
}
