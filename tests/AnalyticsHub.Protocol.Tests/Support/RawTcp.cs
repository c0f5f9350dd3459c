using System.Net;
using System.Net.Sockets;

namespace AnalyticsHub.Protocol.Tests.Support;

/// <summary>Bytes straight onto a TCP connection, below HTTP.</summary>
public static class RawTcp
{
    /// <summary>
    /// Connects, sends <paramref name="request"/>, optionally half-closes, and reads until the
    /// server closes the connection. Fails (TimeoutException) if the server keeps it open.
    /// </summary>
    public static async Task<byte[]> ExchangeAsync(int port, byte[] request, bool halfClose, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(request, SocketFlags.None, cts.Token);
        if (halfClose)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        using var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    return received.ToArray();
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset after the response is still a closed connection.
            return received.ToArray();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server did not close the connection; received {received.Length} bytes so far.");
        }
    }
}
