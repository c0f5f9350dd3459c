using System.Net;
using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;

namespace AnalyticsHub.Protocol.Tests.Support;

/// <summary>A finished HTTP/2 response of a gRPC call, captured whole.</summary>
public sealed class GrpcResponse
{
    public required int HttpStatus { get; init; }

    public required Dictionary<string, string> Headers { get; init; }

    public required Dictionary<string, string> Trailers { get; init; }

    public required byte[] Body { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>grpc-status from the trailers, or from the headers of a Trailers-Only response.</summary>
    public string? GrpcStatus => Trailers.GetValueOrDefault("grpc-status") ?? Headers.GetValueOrDefault("grpc-status");

    /// <summary>grpc-message, percent-decoded.</summary>
    public string? GrpcMessage =>
        (Trailers.GetValueOrDefault("grpc-message") ?? Headers.GetValueOrDefault("grpc-message")) is { } raw ? GrpcMessageEncoding.Decode(raw) : null;

    /// <summary>Status in the one HEADERS frame, no DATA, no trailers.</summary>
    public bool IsTrailersOnly => Headers.ContainsKey("grpc-status") && Body.Length == 0 && Trailers.Count == 0;

    public List<(bool Compressed, byte[] Payload)> Messages => Frames.Parse(Body);

    public override string ToString() =>
        $"HTTP {HttpStatus}, grpc-status {GrpcStatus}, grpc-message '{GrpcMessage}', {Body.Length} body bytes, " +
        $"headers [{string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}], trailers [{string.Join("; ", Trailers.Select(h => $"{h.Key}: {h.Value}"))}]";
}

/// <summary>Raw gRPC calls over HttpClient (h2c): the test controls every byte and header.</summary>
public static class GrpcCall
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static string PathOf(string method) => $"/{GrpcServerFixture.Service}/{method}";

    public static ByteArrayContent Body(byte[] bytes, string contentType = GrpcProtocol.ContentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("content-type", contentType);
        return content;
    }

    public static HttpRequestMessage Request(string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), name);
        }

        return request;
    }

    public static Task<GrpcResponse> UnaryAsync(HttpClient client, string method, IMessage message, params (string Name, string Value)[] headers) =>
        SendAsync(client, Request(PathOf(method), Body(GrpcFrames.Frame(message.ToByteArray())), headers));

    public static Task<GrpcResponse> SendBytesAsync(HttpClient client, string method, byte[] body, params (string Name, string Value)[] headers) =>
        SendAsync(client, Request(PathOf(method), Body(body), headers));

    /// <summary>Sends, reads the whole body and the trailers; fails the test instead of hanging.</summary>
    public static async Task<GrpcResponse> SendAsync(HttpClient client, HttpRequestMessage request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        return await CaptureAsync(response, started, cts.Token);
    }

    public static async Task<GrpcResponse> CaptureAsync(HttpResponseMessage response, System.Diagnostics.Stopwatch started, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new GrpcResponse
        {
            HttpStatus = (int)response.StatusCode,
            Headers = Flatten(response.Headers.Concat(response.Content.Headers)),
            Trailers = Flatten(response.TrailingHeaders),
            Body = body,
            Elapsed = started.Elapsed,
        };
    }

    /// <summary>Reads one length-prefixed message from a response stream; null at a clean end.</summary>
    public static async Task<(bool Compressed, byte[] Payload)?> ReadMessageAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        var read = await stream.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        Assert.Equal(5, read);
        var payload = new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return (header[0] == 1, payload);
    }

    private static Dictionary<string, string> Flatten(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers) =>
        headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
}
