using AnalyticsHub.Server.Hosting;

try
{
    var app = HubHost.Build(args);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Invalid configuration", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}
