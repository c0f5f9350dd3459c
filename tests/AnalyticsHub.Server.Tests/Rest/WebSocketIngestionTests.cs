using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Rest;

/// <summary><c>/ws/events</c>: one JSON answer per message, in order; bad messages answered, the socket kept.</summary>
public sealed class WebSocketIngestionTests(RestHubFixture fixture) : IClassFixture<RestHubFixture>
{
    private Uri Endpoint => new($"ws://127.0.0.1:{fixture.Hub.HttpPort}/ws/events");

    [Fact]
    public async Task Messages_AreAnsweredInOrder_WithPerEventResults_AndBadOnesDoNotCloseTheSocket()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(Endpoint, CancellationToken.None);

        await SendAsync(socket, Array(Telemetry(), Telemetry("nope")));
        await SendAsync(socket, """[{"event_id":7}]""");
        await SendAsync(socket, "[");
        await SendAsync(socket, Array(3));

        var first = await ReceiveAsync(socket);
        Assert.Equal(202, first.GetProperty("status").GetInt32());
        Assert.Equal(1, first.GetProperty("accepted").GetInt32());
        Assert.Equal("invalid_uuid", first.GetProperty("results")[1].GetProperty("code").GetString());

        var wrongType = await ReceiveAsync(socket);
        Assert.Equal(400, wrongType.GetProperty("status").GetInt32());
        Assert.Equal("events[0].event_id", wrongType.GetProperty("errors")[0].GetProperty("path").GetString());

        var truncated = await ReceiveAsync(socket);
        Assert.Equal(400, truncated.GetProperty("status").GetInt32());

        var last = await ReceiveAsync(socket);
        Assert.Equal(202, last.GetProperty("status").GetInt32());
        Assert.Equal(3, last.GetProperty("accepted").GetInt32());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task MessageAboveTheByteLimit_ClosesWith1009()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(Endpoint, CancellationToken.None);
        var huge = new byte[RestHubFixture.MaxBodyBytes + 1024];
        huge.AsSpan().Fill((byte)' ');
        await socket.SendAsync(huge, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }

    [Fact]
    public async Task PlainHttpToTheSocketPath_400()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{fixture.Hub.HttpPort}/ws/events");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }
        }
    }
}
