using System.Collections.Concurrent;
using System.Net;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Hosting;
using AnalyticsHub.Protocol.Server;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Protocol.Tests.Support;

/// <summary>
/// The real server: Kestrel on a free loopback port (cleartext, HTTP/2-only with HTTP/1.x rejection),
/// our gRPC middleware, and a test service <c>test.Svc</c> whose handlers report to the tests.
/// Kestrel's minimum request body data rate is strict (1,000 B/s after 1.5 s) so streaming calls prove they are exempt.
/// </summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    public const string Service = "test.Svc";

    /// <summary>Event id of ServerLog.HandlerFailed: an expected error when a handler throws on purpose.</summary>
    private const int HandlerFailedEventId = 1000;

    private WebApplication? _app;
    private int _pings;

    public LogSink Logs { get; } = new();

    /// <summary>Per-call signals, keyed by the request's string value.</summary>
    public ConcurrentDictionary<string, CallProbe> Probes { get; } = new();

    public Uri Address { get; private set; } = null!;

    public int Port => Address.Port;

    /// <summary>An h2c client shared by the tests (one connection, many streams).</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Strict on purpose (Kestrel requires a grace period over 1 s): streaming calls must be exempt.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(1.5));
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseCleartextGrpc());
        });
        builder.Services.AddGrpcServer();

        _app = builder.Build();
        _app.UseGrpcServer();
        RegisterTestService(_app.GrpcServices());
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = new Uri(address);
        Client = CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        foreach (var probe in Probes.Values)
        {
            probe.Release.TrySetResult();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A new h2c client (its own connection).</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(10),
    };

    public CallProbe NewProbe()
    {
        var probe = new CallProbe(Guid.NewGuid().ToString("N"));
        Probes[probe.Id] = probe;
        return probe;
    }

    /// <summary>
    /// The server still works: a normal unary call succeeds on the shared client and on a fresh
    /// connection, and nothing but deliberate handler failures was logged as an error.
    /// </summary>
    public async Task AssertHealthyAsync(HttpClient? client = null)
    {
        foreach (var c in new[] { client ?? Client, null })
        {
            using var fresh = c is null ? CreateClient() : null;
            var value = $"ping-{Interlocked.Increment(ref _pings)}";
            var response = await GrpcCall.UnaryAsync(c ?? fresh!, "Echo", new StringValue { Value = value });

            Assert.Equal(200, response.HttpStatus);
            Assert.Equal("0", response.GrpcStatus);
            Assert.Equal(value, StringValue.Parser.ParseFrom(Assert.Single(response.Messages).Payload).Value);
        }

        var unexpected = Logs.Records.Where(r => r.Level >= LogLevel.Error && r.EventId.Id != HandlerFailedEventId).ToList();
        Assert.True(unexpected.Count == 0, "Unexpected server errors:\n" + string.Join("\n", unexpected));
    }

    private void RegisterTestService(GrpcServiceRegistry registry)
    {
        registry.AddService(Service)
            .Unary<StringValue, StringValue>("Echo", (request, _) => ValueTask.FromResult(request))
            .Unary<StringValue, StringValue>("Metadata", MetadataHandler)
            .Unary<StringValue, StringValue>("Throw", (_, _) => throw new InvalidOperationException("secret detail"))
            .Unary<StringValue, StringValue>("ThrowRpc", (_, _) =>
                throw new RpcException(new Status(StatusCode.NotFound, "x"), new Metadata { { "x-why", "missing" } }))
            .Unary<StringValue, StringValue>("Wait", WaitHandler)
            .Unary<StringValue, StringValue>("WaitIgnoringToken", WaitIgnoringTokenHandler)
            .Unary<StringValue, StringValue>("Compress", CompressHandler)
            .ServerStreaming<StringValue, StringValue>("Stream", StreamHandler)
            .ClientStreaming<StringValue, StringValue>("Concat", ConcatHandler)
            .DuplexStreaming<StringValue, StringValue>("DuplexEcho", DuplexEchoHandler)
            .Raw("CountUnaryRaw", MethodType.Unary, CountRawHandler);
    }

    private static ValueTask<StringValue> MetadataHandler(StringValue request, ServerCallContext context)
    {
        var a = context.RequestHeaders.GetValue("x-a") ?? "(none)";
        var b = context.RequestHeaders.Get("x-b-bin")?.ValueBytes ?? [];
        context.ResponseHeaders.Add("x-echo-a", a);
        context.ResponseHeaders.Add("x-echo-b-bin", b);
        context.ResponseTrailers.Add("x-trailer", "t-" + a);
        context.ResponseTrailers.Add("x-trailer-bin", [.. b.Reverse()]);

        // Report which metadata keys the handler saw, to check reserved headers are filtered out.
        return ValueTask.FromResult(new StringValue { Value = string.Join(",", context.RequestHeaders.Select(e => e.Key).Order(StringComparer.Ordinal)) });
    }

    private async ValueTask<StringValue> WaitHandler(StringValue request, ServerCallContext context)
    {
        var probe = Probes[request.Value];
        probe.Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }

        return request;
    }

    private async ValueTask<StringValue> WaitIgnoringTokenHandler(StringValue request, ServerCallContext context)
    {
        var probe = Probes[request.Value];
        probe.Started.TrySetResult();
        await probe.Release.Task;
        return request;
    }

    private static ValueTask<StringValue> CompressHandler(StringValue request, ServerCallContext context)
    {
        if (context.ClientAcceptsEncoding("gzip"))
        {
            context.ResponseEncoding = "gzip";
        }

        return ValueTask.FromResult(new StringValue { Value = $"{request.Value}|{context.RequestEncoding ?? "identity"}" });
    }

    private static async Task StreamHandler(StringValue request, IServerStreamWriter<StringValue> responses, ServerCallContext context)
    {
        var count = int.Parse(request.Value.TrimEnd('!'), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            await responses.WriteAsync(new StringValue { Value = $"m{i}" });
        }

        if (request.Value.EndsWith('!'))
        {
            throw new RpcException(StatusCode.Aborted, "after");
        }
    }

    private static async ValueTask<StringValue> ConcatHandler(IAsyncStreamReader<StringValue> requests, ServerCallContext context)
    {
        var all = new System.Text.StringBuilder();
        await foreach (var request in requests.ReadAllAsync())
        {
            all.Append(request.Value);
        }

        return new StringValue { Value = all.ToString() };
    }

    private static async Task DuplexEchoHandler(IAsyncStreamReader<StringValue> requests, IServerStreamWriter<StringValue> responses, ServerCallContext context)
    {
        await foreach (var request in requests.ReadAllAsync())
        {
            await responses.WriteAsync(request);
        }
    }

    private static async Task CountRawHandler(ServerCallContext context)
    {
        var count = 0;
        while (await context.RequestReader.MoveNextAsync(context.CancellationToken))
        {
            count++;
        }

        await context.WriteMessageAsync(new StringValue { Value = count.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ProtobufCodec<StringValue>.Instance, flush: false);
    }
}

/// <summary>Signals between a test and the handler serving its call.</summary>
public sealed class CallProbe(string id)
{
    public string Id { get; } = id;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

[CollectionDefinition(Name)]
public sealed class GrpcServerCollection : ICollectionFixture<GrpcServerFixture>
{
    public const string Name = "gRPC server";
}
