using System.Net;
using System.Security.Cryptography.X509Certificates;
using AnalyticsHub.Protocol.Hosting;
using AnalyticsHub.Server.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AnalyticsHub.Server.Hosting;

/// <summary>
/// The hub's listeners. gRPC: h2c with prior knowledge on cleartext (HTTP/1.x answered 426), or
/// HTTP/1.1 + HTTP/2 via ALPN under TLS. HTTP (REST, WebSocket, UI): HTTP/1.1, plus HTTP/2 under TLS.
/// Metrics: HTTP/1.1 cleartext, Prometheus' <c>GET /metrics</c> only.
/// </summary>
public static class KestrelEndpoints
{
    public static void Configure(KestrelServerOptions kestrel, HubOptions hub)
    {
        kestrel.AddServerHeader = false;

        // gRPC streams are long-lived and bursty; allow many per connection and wide windows.
        kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
        kestrel.Limits.Http2.InitialConnectionWindowSize = 8 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = 4 * 1024 * 1024;
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(60);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);

        var address = IPAddress.Parse(hub.BindAddress);
        var certificate = hub.Tls.Enabled ? LoadCertificate(hub.Tls) : null;

        kestrel.Listen(address, hub.Ports.Grpc, listen =>
        {
            if (certificate is null)
            {
                listen.UseCleartextGrpc();
            }
            else
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            }
        });

        kestrel.Listen(address, hub.Ports.Http, listen =>
        {
            // Without TLS there is no ALPN to negotiate HTTP/2 with, so say HTTP/1.1 plainly.
            listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        });

        // Prometheus scrapes plain HTTP/1.1; the port serves GET /metrics only (Metrics/MetricsEndpoint). 0: no metrics listener.
        if (hub.Ports.Metrics != 0)
        {
            kestrel.Listen(address, hub.Ports.Metrics, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    /// <summary>Loads a PFX (optionally with a password) or a PEM certificate with a PEM private key.</summary>
    public static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        var path = tls.CertificatePath;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(tls.Password) ? null : tls.Password);
        }

        if (string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            throw new InvalidOperationException($"Hub:Tls:KeyPath is required with the PEM certificate '{path}'.");
        }

        using var pem = X509Certificate2.CreateFromPemFile(path, tls.KeyPath);

        // Re-import so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
