using AnalyticsHub.Server.Configuration;
using Microsoft.Extensions.Primitives;

namespace AnalyticsHub.Server.Hosting;

/// <summary>
/// Says what a configuration reload did not do. <c>Logging</c> levels follow the configuration live (the logging
/// filters watch it), but <see cref="HubOptions"/> is bound once at startup and handed to components as plain objects, so
/// a changed <c>Hub</c> key would otherwise look applied while nothing changed: this logs which keys wait for a restart,
/// and edits of the operator's file that did not parse.
/// </summary>
public sealed class ConfigReloadReporter : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string?> _atStart;
    private readonly IDisposable _subscription;
    private string _reported = "";

    private ConfigReloadReporter(IConfiguration configuration, ILogger logger)
    {
        _configuration = configuration;
        _logger = logger;
        _atStart = HubKeys(configuration);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Check);
    }

    /// <summary>Watches <paramref name="configuration"/> from now on; <paramref name="file"/> is the operator's file, if any.</summary>
    public static ConfigReloadReporter Start(IConfiguration configuration, ILogger logger, LastGoodJsonConfigurationSource? file, string? filePath)
    {
        if (file is not null && filePath is not null)
        {
            file.Unreadable = e => HubLog.ConfigFileUnreadable(logger, filePath, e.InnerException?.Message ?? e.Message);
            HubLog.ConfigFileWatched(logger, filePath);
        }
        return new ConfigReloadReporter(configuration, logger);
    }

    private void Check()
    {
        var now = HubKeys(_configuration);
        var changed = now.Keys.Union(_atStart.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !string.Equals(Value(now, key), Value(_atStart, key), StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase);
        var keys = string.Join(", ", changed); // names only: values may be passwords
        // A save often fires several reloads: say it once per distinct set of changed keys.
        if (keys != Interlocked.Exchange(ref _reported, keys) && keys.Length > 0)
        {
            HubLog.RestartNeeded(_logger, keys);
        }
    }

    private static string? Value(Dictionary<string, string?> keys, string key) => keys.GetValueOrDefault(key);

    private static Dictionary<string, string?> HubKeys(IConfiguration configuration) =>
        configuration.GetSection(HubOptions.SectionName).AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    public void Dispose() => _subscription.Dispose();
}
