using System.Collections.Concurrent;
using System.Net;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>
/// Passes requests to a real <see cref="SocketsHttpHandler"/> and keeps the request and response
/// headers of each exchange, so a test can see what went over the wire (grpc-encoding, grpc-timeout, ...).
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
{
    public ConcurrentQueue<Exchange> Exchanges { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestHeaders = request.Headers.NonValidated.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var response = await base.SendAsync(request, cancellationToken);
        var responseHeaders = response.Headers.NonValidated.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Exchanges.Enqueue(new Exchange(request.RequestUri!, request.Version, requestHeaders, response.Version, responseHeaders));
        return response;
    }

    public sealed record Exchange(
        Uri Uri,
        Version RequestVersion,
        IReadOnlyDictionary<string, string> RequestHeaders,
        Version ResponseVersion,
        IReadOnlyDictionary<string, string> ResponseHeaders);
}
