using System.Net;

namespace AnalyticsHub.Server.Configuration;

/// <summary>Checks the configuration at startup and names every problem, so a bad config fails fast and clearly.</summary>
public static class HubOptionsValidation
{
    private static readonly string[] StorageKinds = ["embedded", "clickhouse", "postgres"];

    public static IReadOnlyList<string> Validate(HubOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add("Hub:DataDir must not be empty.");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"Hub:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        CheckPort(errors, "Hub:Ports:Grpc", options.Ports.Grpc);
        CheckPort(errors, "Hub:Ports:Http", options.Ports.Http);
        CheckPort(errors, "Hub:Ports:Metrics", options.Ports.Metrics);
        if (options.Ports.Grpc != 0 && options.Ports.Grpc == options.Ports.Http)
        {
            errors.Add($"Hub:Ports:Grpc and Hub:Ports:Http are both {options.Ports.Grpc}; they must differ.");
        }

        if (!StorageKinds.Contains(options.Storage.Kind, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Hub:Storage:Kind '{options.Storage.Kind}' is not one of: {string.Join(", ", StorageKinds)}.");
        }

        if (options.Tls.Enabled && !File.Exists(options.Tls.CertificatePath))
        {
            errors.Add($"Hub:Tls:CertificatePath '{options.Tls.CertificatePath}' does not exist.");
        }

        if (options.Grpc.MaxReceiveMessageSize is < 1024)
        {
            errors.Add("Hub:Grpc:MaxReceiveMessageSize must be at least 1024 bytes.");
        }

        if (options.Grpc.ShutdownDrainSeconds is < 0 or > 600)
        {
            errors.Add("Hub:Grpc:ShutdownDrainSeconds must be between 0 and 600.");
        }

        return errors;
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add($"{name} {port} is not a TCP port (0–65535).");
        }
    }
}
