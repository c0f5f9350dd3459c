using System.Reflection;

namespace AnalyticsHub.Client.Internal;

/// <summary>The <c>user-agent</c> the client sends: <c>analyticshub-dotnet/&lt;version&gt;</c>.</summary>
internal static class UserAgent
{
    public static readonly string Value = "analyticshub-dotnet/" + GetVersion();

    private static string GetVersion()
    {
        var assembly = typeof(UserAgent).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // "1.2.3+commit" → "1.2.3": build metadata is noise in a user-agent.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus >= 0 ? informational[..plus] : informational;
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
