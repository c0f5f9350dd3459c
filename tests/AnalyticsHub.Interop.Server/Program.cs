using AnalyticsHub.Interop.Server;

// Usage: dotnet run --project tests/AnalyticsHub.Interop.Server -- --port N [--host 127.0.0.1]
await using var host = InteropHost.Build(args);
await host.StartAsync().ConfigureAwait(false);
Console.WriteLine($"Interop server listening on {string.Join(", ", host.Urls)}");
await host.WaitForShutdownAsync().ConfigureAwait(false);
