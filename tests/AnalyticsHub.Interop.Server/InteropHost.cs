using System.Net;
using AnalyticsHub.Protocol.Server;
using AnalyticsHub.Protocol.Hosting;

namespace AnalyticsHub.Interop.Server;

/// <summary>Builds the interop test host: Kestrel h2c (and HTTP/1.1, to be rejected properly) on one port.</summary>
public static class InteropHost
{
    public static WebApplication Build(string[] args, Action<GrpcServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var port = builder.Configuration.GetValue("port", 50052);
        var host = builder.Configuration.GetValue("host", "127.0.0.1")!;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(host), port, listen => listen.UseCleartextGrpc());
        });
        builder.Services.AddGrpcServer(configure);

        var app = builder.Build();
        app.UseGrpcServer();
        TestServiceImpl.Register(app.GrpcServices());
        app.MapGrpcHealth();
        app.MapGrpcReflection();
        return app;
    }
}
