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
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    // A file the hub keeps in its data directory could not be opened: the directory is unusable, as for the WAL.
    await Console.Error.WriteLineAsync("Cannot start: " + ex.Message).ConfigureAwait(false);
    return 3;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Invalid configuration", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}
catch (ArgumentException ex)
{
    // A setting a component refused when built (e.g. a store option the validator does not know).
    await Console.Error.WriteLineAsync("Invalid configuration: " + ex.Message).ConfigureAwait(false);
    return 2;
}
