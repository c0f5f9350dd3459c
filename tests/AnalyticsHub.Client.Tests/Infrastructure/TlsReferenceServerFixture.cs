using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>
/// The C-core reference server over TLS, with a throwaway self-signed certificate for
/// 127.0.0.1/localhost; clients trust exactly that certificate (custom root trust).
/// </summary>
public sealed class TlsReferenceServerFixture : ReferenceServerFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analyticshub-client-tls-").FullName;
    private readonly X509Certificate2 _certificate;

    public TlsReferenceServerFixture()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificatePath, _certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    protected override bool UseTls => true;

    protected override IEnumerable<string> ExtraArguments =>
        ["--use_tls", "true", "--tls_cert_file", CertificatePath, "--tls_key_file", KeyPath];

    private string CertificatePath => Path.Combine(_directory, "server.pem");

    private string KeyPath => Path.Combine(_directory, "server.key");

    /// <summary>Client TLS options that trust the server's certificate and nothing else.</summary>
    public SslClientAuthenticationOptions CreateClientSslOptions() => new()
    {
        CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { _certificate },
            RevocationMode = X509RevocationMode.NoCheck,
        },
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
