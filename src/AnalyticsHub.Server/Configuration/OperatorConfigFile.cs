using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AnalyticsHub.Server.Configuration;

/// <summary>
/// The operator's configuration file: <c>--config PATH</c> (or <c>--config=PATH</c>) on the command line, else the
/// <c>ANALYTICSHUB_CONFIG</c> environment variable. It is read after the shipped <c>appsettings*.json</c> and before
/// environment variables and command-line keys, and watched through a file provider rooted at the file's real directory
/// (links resolved): a watcher on a link's directory is never told when the link's target is edited, which is why a
/// linked <c>appsettings.Production.json</c> did not reload. Only <c>Logging</c> takes effect without a restart;
/// <c>Hub</c> is read once at startup (<see cref="Hosting.ConfigReloadReporter"/> warns when it changes).
/// </summary>
public static class OperatorConfigFile
{
    public const string Argument = "--config";
    public const string EnvironmentVariable = "ANALYTICSHUB_CONFIG";

    /// <summary>The file named by the arguments or the environment (null: none), and the arguments without <c>--config</c>.</summary>
    public static string? Locate(string[] args, out string[] remaining)
    {
        string? path = null;
        var rest = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == Argument)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Invalid configuration:{Environment.NewLine}  - {Argument} needs the path of a JSON configuration file.");
                }
                path = args[++i];
            }
            else if (args[i].StartsWith(Argument + "=", StringComparison.Ordinal))
            {
                path = args[i][(Argument.Length + 1)..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        remaining = [.. rest];
        path ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(path) ? null : path;
    }

    /// <summary>Adds the file after the last JSON file source (so environment variables and the command line still override it).</summary>
    public static LastGoodJsonConfigurationSource Add(IConfigurationBuilder configuration, string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        var real = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
        if (!real.Exists)
        {
            throw new InvalidOperationException($"Invalid configuration:{Environment.NewLine}  - the configuration file '{path}' does not exist ({Argument} / {EnvironmentVariable}).");
        }

        var source = new LastGoodJsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(real.DirectoryName!),
            Path = real.Name,
            Optional = false,
            ReloadOnChange = true,
        };
        var sources = configuration.Sources;
        int after = -1;
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                after = i;
            }
        }

        try
        {
            // A ConfigurationManager loads a source as it is inserted: a broken file fails here, at startup.
            sources.Insert(after + 1, source);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"Invalid configuration:{Environment.NewLine}  - the configuration file '{real.FullName}' cannot be read: {e.InnerException?.Message ?? e.Message}", e);
        }

        return source;
    }
}
