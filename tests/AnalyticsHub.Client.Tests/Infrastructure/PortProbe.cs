using System.Diagnostics;
using System.Net.Sockets;

namespace AnalyticsHub.Client.Tests.Infrastructure;

internal static class PortProbe
{
    /// <summary>Polls until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitUntilAcceptingAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await client.ConnectAsync("127.0.0.1", port, attempt.Token);
                return;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"Nothing accepted connections on port {port} within {timeout}. {diagnostics?.Invoke()}");
                }
            }

            await Task.Delay(50);
        }
    }
}
