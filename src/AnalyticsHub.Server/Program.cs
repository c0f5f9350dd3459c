using AnalyticsHub.Server.Hosting;

try
{
    var app = HubHost.Build(args);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (AnalyticsHub.Storage.Wal.WalUnavailableException ex)
{
    await Console.Error.WriteLineAsync("Cannot start: " + ex.Message).ConfigureAwait(false);
    return 3;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Invalid configuration", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}
