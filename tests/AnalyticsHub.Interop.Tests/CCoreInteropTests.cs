namespace AnalyticsHub.Interop.Tests;

/// <summary>
/// gRPC's interop cases, each driven by the gRPC C-core client (Debian python3-grpcio) against
/// our server: an independent implementation judging ours.
/// </summary>
public sealed class CCoreInteropTests(InteropServerFixture server) : IClassFixture<InteropServerFixture>
{
    private const string Python = "/usr/bin/python3";

    public static TheoryData<string> Cases =>
    [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
        "status_code_and_message", "special_status_message", "unimplemented_method", "unimplemented_service",
        "custom_metadata", "client_compressed_unary", "server_compressed_unary",
        "client_compressed_streaming", "server_compressed_streaming",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InteropCase_PassesWithCCoreClient(string testCase)
    {
        var (exitCode, output) = await RunPythonAsync("interop_client.py", "--test_case", testCase);
        Assert.True(exitCode == 0, $"{testCase} failed (exit {exitCode}):\n{output}");
        Assert.Contains($"PASS {testCase}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task Reflection_ListsServicesAndResolvesMethodDescriptors(string version)
    {
        var (exitCode, output) = await RunPythonAsync(
            "reflection_client.py", "--version", version,
            "--expect_service", "grpc.testing.TestService", "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            "--resolve_method", "grpc.testing.TestService.UnaryCall", "grpc.testing.TestService.FullDuplexCall", "grpc.health.v1.Health.Watch");
        Assert.True(exitCode == 0, $"reflection {version} failed (exit {exitCode}):\n{output}");
        Assert.Contains("input grpc.testing.SimpleRequest, output grpc.testing.SimpleResponse", output, StringComparison.Ordinal);
        Assert.Contains("error_code 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_ReportsServing()
    {
        var (exitCode, output) = await RunPythonAsync("health_client.py", "--expect", "SERVING");
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task HealthWatch_StreamsServing()
    {
        var (exitCode, output) = await RunPythonAsync("health_client.py", "--expect", "SERVING", "--watch");
        Assert.True(exitCode == 0, output);
    }

    private Task<(int ExitCode, string Output)> RunPythonAsync(string script, params string[] arguments)
    {
        var scriptPath = Path.Combine(RepoPaths.Root, "tests", "Interop", "python", script);
        string[] all = [scriptPath, "--server_host", "127.0.0.1", "--server_port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments];
        return ExternalProcess.RunAsync(Python, all, TimeSpan.FromSeconds(90));
    }
}
