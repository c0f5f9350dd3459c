using Microsoft.Extensions.Configuration.Json;

namespace AnalyticsHub.Server.Configuration;

/// <summary>
/// A JSON configuration file that keeps its last good contents when an edit does not parse. The stock provider drops
/// every key of a file it cannot re-read, so a typo saved into the live file would silently reset log levels to the
/// shipped defaults; here the old values stay and <see cref="Unreadable"/> is told why. The first load still fails
/// loudly (the hub refuses to start on a broken file).
/// </summary>
public sealed class LastGoodJsonConfigurationSource : JsonConfigurationSource
{
    /// <summary>Called with the parse error of an edit that was ignored.</summary>
    public Action<Exception>? Unreadable { get; set; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new Provider(this);
    }

    private sealed class Provider(LastGoodJsonConfigurationSource source) : JsonConfigurationProvider(source)
    {
        private bool _loaded;

        public override void Load(Stream stream)
        {
            var previous = Data;
            try
            {
                base.Load(stream);
                _loaded = true;
            }
            catch (Exception e) when (_loaded)
            {
                Data = previous;
                source.Unreadable?.Invoke(e);
            }
        }
    }
}
