using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.Interop.Server;
using AnalyticsHub.Protocol.Grpc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Interop.Tests;

/// <summary>
/// Shutdown: calls in flight when it starts either finish (within the drain window) or are
/// answered UNAVAILABLE (past it) — never cut without a status.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Shutdown_InFlightStreamFinishesOk_OpenDuplexStreamGetsUnavailable()
    {
        await using var app = InteropHost.Build(["--port", "0"], o => o.ShutdownDrainTimeout = TimeSpan.FromSeconds(2));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var baseAddress = $"http://127.0.0.1:{port}/grpc.testing.TestService/";

        // A duplex stream the client never closes.
        var duplexBody = new StreamingContent();
        var duplexSend = client.SendAsync(Post(baseAddress + "FullDuplexCall", duplexBody), HttpCompletionOption.ResponseHeadersRead);
        await duplexBody.SendAsync(GrpcFrames.Frame(StreamingOutputCallRequest(sizes: [10], intervalUs: 0)));
        using var duplex = await duplexSend;
        var duplexFrames = new GrpcMessageReader(PipeReader.Create(await duplex.Content.ReadAsStreamAsync()), 1 << 20, null);
        Assert.True(await duplexFrames.MoveNextAsync());

        // A server stream that needs ~600 ms more to finish: well inside the 2 s drain.
        var streamBody = new ByteArrayContent(GrpcFrames.Frame(StreamingOutputCallRequest(sizes: [1, 2, 3], intervalUs: 300_000)));
        using var stream = await client.SendAsync(Post(baseAddress + "StreamingOutputCall", streamBody), HttpCompletionOption.ResponseHeadersRead);
        var streamFrames = new GrpcMessageReader(PipeReader.Create(await stream.Content.ReadAsStreamAsync()), 1 << 20, null);
        Assert.True(await streamFrames.MoveNextAsync());

        var stopping = app.StopAsync();

        var received = 1;
        while (await streamFrames.MoveNextAsync())
        {
            received++;
        }

        Assert.Equal(3, received);
        Assert.Equal("0", GrpcHeaders.Value(stream, "grpc-status"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.False(await duplexFrames.MoveNextAsync(timeout.Token));
        Assert.Equal(((int)StatusCode.Unavailable).ToString(System.Globalization.CultureInfo.InvariantCulture), GrpcHeaders.Value(duplex, "grpc-status"));
        await stopping.WaitAsync(timeout.Token);
        duplexBody.Complete();
    }

    private static HttpRequestMessage Post(string url, HttpContent content)
    {
        content.Headers.ContentType ??= new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    private static Grpc.Testing.StreamingOutputCallRequest StreamingOutputCallRequest(int[] sizes, int intervalUs)
    {
        var request = new Grpc.Testing.StreamingOutputCallRequest();
        foreach (var size in sizes)
        {
            request.ResponseParameters.Add(new Grpc.Testing.ResponseParameters { Size = size, IntervalUs = intervalUs });
        }

        return request;
    }
}
