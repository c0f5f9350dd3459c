namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>Locates files of the repository from the test's output directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ReferenceServerScript => Path.Combine(Root, "tests", "Interop", "python", "reference_server.py");

    /// <summary>The interop host built in the same configuration as these tests (bin/{Configuration}/{tfm}).</summary>
    public static string InteropServerDll
    {
        get
        {
            var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Path.Combine(Root, "tests", "AnalyticsHub.Interop.Server", "bin", testDir.Parent!.Name, testDir.Name, "AnalyticsHub.Interop.Server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build tests/AnalyticsHub.Interop.Server first.", dll);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(dir.FullName, "tests")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }
}
