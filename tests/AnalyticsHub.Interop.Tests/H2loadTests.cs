using System.Text.RegularExpressions;

namespace AnalyticsHub.Interop.Tests;

/// <summary>
/// nghttp2's h2load as an independent HTTP/2 client: a short, bounded burst of unary calls
/// over several connections and concurrent streams must all succeed.
/// </summary>
public sealed partial class H2loadTests(InteropServerFixture server) : IClassFixture<InteropServerFixture>
{
    [Fact]
    public async Task H2load_ConcurrentUnaryCalls_AllSucceed()
    {
        // grpc.testing.SimpleRequest { response_size = 64, payload = { body = 1,000 zero bytes } }, framed.
        var body = new List<byte> { 0x10, 0x40, 0x1A, 0xEB, 0x07, 0x12, 0xE8, 0x07 };
        body.AddRange(new byte[1000]);
        var frame = GrpcFrames.Frame([.. body]);
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bodyFile, frame);
        try
        {
            var (exitCode, output) = await ExternalProcess.RunAsync(
                "h2load",
                [
                    "-n", "2000", "-c", "4", "-m", "16",
                    "-d", bodyFile,
                    "-H", "content-type: application/grpc", "-H", "te: trailers",
                    $"http://127.0.0.1:{server.Port}/grpc.testing.TestService/UnaryCall",
                ],
                TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 0, output);
            var match = RequestsLine().Match(output);
            Assert.True(match.Success, output);
            Assert.Equal("2000", match.Groups["succeeded"].Value);
            Assert.Equal("0", match.Groups["failed"].Value);
            Assert.Equal("0", match.Groups["errored"].Value);
            Assert.Matches(@"status codes: 2000 2xx", output);
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex RequestsLine();
}
