using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>
/// A bare Kestrel HTTP/2 (h2c, prior knowledge) server on 127.0.0.1 and a free port. No gRPC
/// layer: each test maps a path to a handler that writes exactly the bytes, headers and trailers
/// it wants the client to see, including malformed ones.
/// </summary>
public sealed class KestrelServerFixture : IAsyncLifetime
{
    /// <summary>Low, so tests can show that finished calls give their stream back.</summary>
    public const int MaxStreamsPerConnection = 16;

    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public string Address { get; private set; } = "";

    /// <summary>Serves <paramref name="handler"/> at <c>/test.Raw/{name}</c>; names must be unique per fixture.</summary>
    public string Map(string name, RequestDelegate handler)
    {
        if (!_routes.TryAdd($"/test.Raw/{name}", handler))
        {
            throw new InvalidOperationException($"Route {name} is already mapped.");
        }

        return name;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            options.AddServerHeader = false;
            options.Limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
        });
        _app = builder.Build();
        _app.Run(context =>
        {
            if (_routes.TryGetValue(context.Request.Path.Value ?? "", out var handler))
            {
                return handler(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        await PortProbe.WaitUntilAcceptingAsync(new Uri(Address).Port, TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
