using System.Collections.Concurrent;
using System.Net;

namespace AnalyticsHub.Server.Tests.Tracing;

/// <summary>
/// A minimal OTLP/HTTP collector on a loopback port: takes <c>POST /v1/traces</c> with a protobuf body (what the OTLP
/// exporter sends with <c>http/protobuf</c>), answers 200 with an empty ExportTraceServiceResponse and keeps the spans.
/// </summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly Task _loop;

    public OtlpTraceReceiver()
    {
        Port = HubProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The base URL to give the hub (<c>Hub:Tracing:OtlpEndpoint</c>).</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ExportedSpan> Spans => [.. _spans];

    /// <summary>Requests that were not what an OTLP/HTTP trace export should be (wrong path, method or content type).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public string Describe() =>
        $"{_spans.Count} spans received:\n  {string.Join("\n  ", _spans)}" + (_problems.IsEmpty ? "" : $"\nproblems: {string.Join("; ", _problems)}");

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var request = context.Request;
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            if (request.HttpMethod != "POST" || request.Url?.AbsolutePath != "/v1/traces" || request.ContentType != "application/x-protobuf")
            {
                _problems.Enqueue($"{request.HttpMethod} {request.Url?.AbsolutePath} ({request.ContentType})");
                context.Response.StatusCode = 404;
            }
            else
            {
                try
                {
                    foreach (var span in OtlpTraceDecoder.Decode(body.ToArray()))
                    {
                        _spans.Enqueue(span);
                    }
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-protobuf";
                }
                catch (Google.Protobuf.InvalidProtocolBufferException e)
                {
                    _problems.Enqueue("undecodable export: " + e.Message);
                    context.Response.StatusCode = 400;
                }
            }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
