using System.Net.Http.Headers;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>Custom metadata from response headers or trailers (gRPC-reserved and HTTP/2 headers left out).</summary>
internal static class ResponseMetadata
{
    public static Metadata From(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            if (!Metadata.IsCustomHeader(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                try
                {
                    metadata.Add(Metadata.Entry.FromHeader(name, value));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    // Not valid gRPC metadata (bad base64 in a -bin value, a key outside [a-z0-9-_.]):
                    // other peers drop such entries too rather than fail the call.
                }
            }
        }

        return metadata;
    }
}
