using System.Collections.Frozen;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Compression;

/// <summary>The set of message encodings an endpoint supports, looked up by wire name.</summary>
public sealed class CompressionProviders
{
    public static readonly CompressionProviders Default = new([GzipCompressionProvider.Instance, DeflateCompressionProvider.Instance]);

    private readonly FrozenDictionary<string, ICompressionProvider> _byName;

    public CompressionProviders(IEnumerable<ICompressionProvider> providers)
    {
        _byName = providers.ToFrozenDictionary(p => p.EncodingName, StringComparer.OrdinalIgnoreCase);
        AcceptEncoding = string.Join(",", new[] { GrpcProtocol.IdentityEncoding }.Concat(_byName.Keys.Order(StringComparer.Ordinal)));
    }

    /// <summary>The value of <c>grpc-accept-encoding</c>: identity plus every provider.</summary>
    public string AcceptEncoding { get; }

    /// <summary>Finds a provider; <c>identity</c> and an absent header resolve to null with success.</summary>
    public bool TryResolve(string? encoding, out ICompressionProvider? provider)
    {
        if (string.IsNullOrEmpty(encoding) || encoding.Equals(GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            provider = null;
            return true;
        }

        return _byName.TryGetValue(encoding, out provider);
    }

    /// <summary>Whether a peer's <c>grpc-accept-encoding</c> list names an encoding.</summary>
    public static bool Accepts(string? acceptEncoding, string encoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan()[range].Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
