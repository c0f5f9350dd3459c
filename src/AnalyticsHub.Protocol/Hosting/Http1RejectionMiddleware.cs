using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AnalyticsHub.Protocol.Hosting;

/// <summary>
/// Makes a cleartext gRPC port HTTP/2-only (h2c with prior knowledge, as gRPC clients connect)
/// while still answering HTTP/1.x clients with a readable <c>426 Upgrade Required</c>.
/// Kestrel negotiates HTTP/2 on a cleartext Http1AndHttp2 endpoint never (only TLS ALPN can),
/// and an Http2-only endpoint drops an HTTP/1.1 client with a bare GOAWAY, so this middleware
/// peeks at the first bytes: the HTTP/2 client preface starts with <c>PRI * HTTP/2.0</c>, which
/// no HTTP/1.x request line can; anything else gets the 426 and the connection is closed.
/// </summary>
public static class Http1RejectionMiddleware
{
    private const int MaxRequestHeadBytes = 16 * 1024;
    private static readonly TimeSpan HeadReadTimeout = TimeSpan.FromSeconds(5);

    private static ReadOnlySpan<byte> PrefacePrefix => "PRI * HTTP/2.0"u8;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    private const string Reason = "This port serves gRPC over HTTP/2 only (h2c with prior knowledge); HTTP/1.x is not supported.";

    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 426 Upgrade Required\r\n" +
        "Upgrade: h2c\r\n" +
        "Connection: Upgrade, close\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "grpc-status: 13\r\n" +
        $"grpc-message: {Reason}\r\n" +
        $"Content-Length: {Reason.Length + 1}\r\n" +
        "\r\n" +
        $"{Reason}\n");

    /// <summary>Configures a cleartext endpoint as HTTP/2-only with HTTP/1.x rejection.</summary>
    public static ListenOptions UseCleartextGrpc(this ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http2;
        listen.Use(next => async connection =>
        {
            bool isHttp2;
            try
            {
                isHttp2 = await StartsWithHttp2PrefaceAsync(connection).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
            {
                return; // closed before saying anything (a TCP health check): nothing to answer
            }

            if (isHttp2)
            {
                await next(connection).ConfigureAwait(false);
                return;
            }

            await RejectAsync(connection).ConfigureAwait(false);
        });
        return listen;
    }

    private static async ValueTask<bool> StartsWithHttp2PrefaceAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
            var buffer = result.Buffer;
            var decided = Decide(buffer, out var isHttp2);

            // Consume nothing: Kestrel's HTTP/2 handler reads the same bytes next.
            input.AdvanceTo(buffer.Start, decided ? buffer.Start : buffer.End);
            if (decided || result.IsCompleted || result.IsCanceled)
            {
                return isHttp2;
            }
        }
    }

    private static bool Decide(in ReadOnlySequence<byte> buffer, out bool isHttp2)
    {
        var length = (int)Math.Min(buffer.Length, PrefacePrefix.Length);
        Span<byte> head = stackalloc byte[PrefacePrefix.Length];
        buffer.Slice(0, length).CopyTo(head);
        var prefixMatches = head[..length].SequenceEqual(PrefacePrefix[..length]);
        isHttp2 = prefixMatches && length == PrefacePrefix.Length;
        return !prefixMatches || length == PrefacePrefix.Length;
    }

    private static async Task RejectAsync(ConnectionContext connection)
    {
        // Read the request head (bounded in size and time) so the client sees a response, not a reset.
        using var timeout = new CancellationTokenSource(HeadReadTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, connection.ConnectionClosed);
        var input = connection.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var complete = buffer.Length >= MaxRequestHeadBytes || ContainsEndOfHead(buffer) || result.IsCompleted;
                input.AdvanceTo(buffer.End);
                if (complete)
                {
                    break;
                }
            }

            await connection.Transport.Output.WriteAsync(Response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Slow or vanished client: just close.
        }

        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    private static bool ContainsEndOfHead(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, EndOfHead);
    }
}
