using AnalyticsHub.Client.Tests.Infrastructure;
using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;
using Grpc.Testing;
using Xunit;

namespace AnalyticsHub.Client.Tests;

/// <summary>https:// against the gRPC C-core reference server: TLS with ALPN h2, certificate checked.</summary>
public sealed class ReferenceServerTlsTests(TlsReferenceServerFixture server) : IClassFixture<TlsReferenceServerFixture>
{
    [Fact]
    public async Task LargeUnary_OverTls_Succeeds()
    {
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { SslOptions = server.CreateClientSslOptions() });
        var request = new SimpleRequest { ResponseSize = 314159, Payload = new Payload { Body = ByteString.CopyFrom(new byte[271828]) } };

        var response = await channel.UnaryAsync(TestServiceMethods.UnaryCall, request).Bounded();

        Assert.Equal(314159, response.Payload.Body.Length);
    }

    [Fact]
    public async Task PingPong_OverTls_Succeeds()
    {
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { SslOptions = server.CreateClientSslOptions() });
        using var call = channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall);
        foreach (var size in new[] { 31415, 9, 2653, 58979 })
        {
            var request = new StreamingOutputCallRequest();
            request.ResponseParameters.Add(new ResponseParameters { Size = size });
            await call.RequestStream.WriteAsync(request).Bounded();
            Assert.True(await call.ResponseStream.MoveNext().Bounded());
            Assert.Equal(size, call.ResponseStream.Current.Payload.Body.Length);
        }

        await call.RequestStream.CompleteAsync().Bounded();
        Assert.False(await call.ResponseStream.MoveNext().Bounded());
    }

    [Fact]
    public async Task UntrustedCertificate_FailsWithUnavailable()
    {
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Expect.StatusAsync(StatusCode.Unavailable, channel.UnaryAsync(TestServiceMethods.EmptyCall, new Empty()));

        Assert.Contains("SSL", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }
}
