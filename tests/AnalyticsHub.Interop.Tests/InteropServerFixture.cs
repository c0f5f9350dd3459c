using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using AnalyticsHub.Interop.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AnalyticsHub.Interop.Tests;

/// <summary>The interop test host on a free loopback port, shared by the tests of a class.</summary>
public sealed class InteropServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        _app = InteropHost.Build(["--port", "0"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
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
