using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;

namespace AnalyticsHub.Server.Tests;

/// <summary>
/// Minimal gRPC calls on raw HttpClient HTTP/2, so these tests depend only on the wire protocol,
/// not on our own client library.
/// </summary>
internal static class RawGrpc
{
    public static HttpClient CreateClient(bool acceptAnyCertificate = false)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (acceptAnyCertificate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public static HttpRequestMessage Request(string baseAddress, string path, IMessage message)
    {
        var content = new ByteArrayContent(GrpcFrames.Frame(message));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, baseAddress + path)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    /// <summary>Reads every response message of a call, then its status (trailers or Trailers-Only headers).</summary>
    public static async Task<(List<T> Messages, string? Status, string? Message)> ReadAllAsync<T>(HttpResponseMessage response, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var messages = new List<T>();
        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync());
        using var frames = new GrpcMessageReader(reader, 16 * 1024 * 1024, null);
        while (await frames.MoveNextAsync())
        {
            messages.Add(parser.ParseFrom(frames.Current.ToArray()));
        }

        return (messages, GrpcHeaders.Value(response, "grpc-status"), GrpcHeaders.Value(response, "grpc-message"));
    }
}
