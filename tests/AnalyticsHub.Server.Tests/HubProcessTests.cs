using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AnalyticsHub.Protocol.Grpc;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AnalyticsHub.Server.Tests;

public sealed class HubProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Healthz_And_Readyz_ReportAliveAndReadyWithChecks()
    {
        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var http = new HttpClient();

        var live = await http.GetAsync($"http://127.0.0.1:{hub.HttpPort}/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("alive", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        var ready = await http.GetAsync($"http://127.0.0.1:{hub.HttpPort}/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("writable", body.GetProperty("checks").GetProperty("dataDir").GetString());
    }

    [Fact]
    public async Task DataDirNotWritable_HubRefusesToStart_WithExitCode3AndThePath()
    {
        // A regular file where the data directory should be: the WAL cannot be created under it,
        // and a hub that cannot make events durable must not take any.
        var blocker = Path.GetTempFileName();
        try
        {
            await using var hub = HubProcess.Start($"--Hub:DataDir={blocker}");
            Assert.True(await hub.WaitForExitAsync(StartTimeout), "the hub kept running without a WAL");
            Assert.Equal(3, hub.ExitCode);
            Assert.Contains("Cannot start", hub.Output, StringComparison.Ordinal);
            Assert.Contains(blocker, hub.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task GrpcHealthCheck_OverH2c_ReportsServing_AndUnknownServiceIsNotFound()
    {
        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var grpc = RawGrpc.CreateClient();
        var baseAddress = $"http://127.0.0.1:{hub.GrpcPort}";

        using (var response = await grpc.SendAsync(RawGrpc.Request(baseAddress, "/grpc.health.v1.Health/Check", new HealthCheckRequest()), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(new Version(2, 0), response.Version);
            var (messages, status, _) = await RawGrpc.ReadAllAsync(response, HealthCheckResponse.Parser);
            Assert.Equal("0", status);
            Assert.Equal(ServingStatus.Serving, Assert.Single(messages).Status);
        }

        using (var response = await grpc.SendAsync(RawGrpc.Request(baseAddress, "/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = "no.such.Service" }), HttpCompletionOption.ResponseHeadersRead))
        {
            var (messages, status, message) = await RawGrpc.ReadAllAsync(response, HealthCheckResponse.Parser);
            Assert.Empty(messages);
            Assert.Equal(((int)StatusCode.NotFound).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
            Assert.Contains("no.such.Service", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sigterm_EndsWatchStreamWithNotServingThenUnavailable_AndExitsCleanly()
    {
        await using var hub = HubProcess.Start("--Hub:Grpc:ShutdownDrainSeconds=2");
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var grpc = RawGrpc.CreateClient();
        using var response = await grpc.SendAsync(
            RawGrpc.Request($"http://127.0.0.1:{hub.GrpcPort}", "/grpc.health.v1.Health/Watch", new HealthCheckRequest()),
            HttpCompletionOption.ResponseHeadersRead);
        var reader = System.IO.Pipelines.PipeReader.Create(await response.Content.ReadAsStreamAsync());
        using var frames = new GrpcMessageReader(reader, 1 << 20, null);

        Assert.True(await frames.MoveNextAsync());
        Assert.Equal(ServingStatus.Serving, HealthCheckResponse.Parser.ParseFrom(frames.Current.ToArray()).Status);

        hub.Terminate();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.True(await frames.MoveNextAsync(timeout.Token), "the watch stream ended without NOT_SERVING:\n" + hub.Output);
        Assert.Equal(ServingStatus.NotServing, HealthCheckResponse.Parser.ParseFrom(frames.Current.ToArray()).Status);
        Assert.False(await frames.MoveNextAsync(timeout.Token));
        Assert.Equal(((int)StatusCode.Unavailable).ToString(System.Globalization.CultureInfo.InvariantCulture), GrpcHeaders.Value(response, "grpc-status"));

        Assert.True(await hub.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the hub did not exit after SIGTERM:\n" + hub.Output);
        Assert.True(hub.ExitCode == 0, $"exit code {hub.ExitCode}:\n{hub.Output}");
    }

    [Fact]
    public async Task Tls_BothPortsNegotiateHttp2ByAlpn_AndHttp11GrpcGets426()
    {
        var certificatePath = Path.Combine(Path.GetTempPath(), $"hub-test-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(certificatePath, SelfSignedPfx("test-password"));
        try
        {
            await using var hub = HubProcess.Start($"--Hub:Tls:CertificatePath={certificatePath}", "--Hub:Tls:Password=test-password");
            await hub.WaitUntilListeningAsync(StartTimeout);
            using var grpc = RawGrpc.CreateClient(acceptAnyCertificate: true);

            using (var response = await grpc.SendAsync(RawGrpc.Request($"https://127.0.0.1:{hub.GrpcPort}", "/grpc.health.v1.Health/Check", new HealthCheckRequest()), HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(new Version(2, 0), response.Version);
                var (messages, status, _) = await RawGrpc.ReadAllAsync(response, HealthCheckResponse.Parser);
                Assert.Equal("0", status);
                Assert.Equal(ServingStatus.Serving, Assert.Single(messages).Status);
            }

            var healthz = await grpc.GetAsync($"https://127.0.0.1:{hub.HttpPort}/healthz");
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
            Assert.Equal(new Version(2, 0), healthz.Version);

            // HTTP/1.1 chosen by ALPN on the gRPC port: admitted by TLS, refused by gRPC with 426.
            using var http11 = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
            var request = RawGrpc.Request($"https://127.0.0.1:{hub.GrpcPort}", "/grpc.health.v1.Health/Check", new HealthCheckRequest());
            request.Version = HttpVersion.Version11;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            var refused = await http11.SendAsync(request);
            Assert.Equal(HttpStatusCode.UpgradeRequired, refused.StatusCode);
            Assert.Equal("h2", refused.Headers.Upgrade.Single().Name);
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }

    [Fact]
    public async Task Http11ToCleartextGrpcPort_Gets426()
    {
        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var http11 = new HttpClient();
        using var content = new ByteArrayContent([0, 0, 0, 0, 0]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var response = await http11.PostAsync($"http://127.0.0.1:{hub.GrpcPort}/grpc.health.v1.Health/Check", content);
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("h2c", response.Headers.Upgrade.Single().Name);
        Assert.Contains("HTTP/2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Hub:Storage:Kind=bogus", "Hub:Storage:Kind 'bogus'")]
    [InlineData("--Hub:Ports:Grpc=70000", "Hub:Ports:Grpc 70000")]
    [InlineData("--Hub:BindAddress=not-an-ip", "Hub:BindAddress 'not-an-ip'")]
    [InlineData("--Hub:Tls:CertificatePath=/nonexistent/hub.pfx", "/nonexistent/hub.pfx")]
    public async Task InvalidConfiguration_ExitsWithCode2AndNamesTheProblem(string argument, string expected)
    {
        await using var hub = HubProcess.Start(argument);
        Assert.True(await hub.WaitForExitAsync(TimeSpan.FromSeconds(30)), hub.Output);
        Assert.Equal(2, hub.ExitCode);
        Assert.Contains(expected, hub.Output, StringComparison.Ordinal);
    }

    private static byte[] SelfSignedPfx(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.Export(X509ContentType.Pfx, password);
    }
}
