using System.Diagnostics;

namespace AnalyticsHub.Server.Tests.GrpcIngest;

/// <summary>EventIngestion driven by an independent client: gRPC C-core (Debian python3-grpcio), tests/Interop/python/ingest_client.py.</summary>
public sealed class CCoreIngestClientTests(GrpcHubFixture fixture) : IClassFixture<GrpcHubFixture>
{
    [Fact]
    public async Task StreamUnaryRetryDuplicateAndMalformed_AsSeenByTheCCoreClient()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "Interop", "python", "ingest_client.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--server_port");
        start.ArgumentList.Add(fixture.Hub.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await python.WaitForExitAsync(timeout.Token);

        var output = await stdout + await stderr;
        Assert.True(python.ExitCode == 0, $"ingest_client.py exited {python.ExitCode}:\n{output}");
        Assert.Contains("PASS", output, StringComparison.Ordinal);
    }
}
