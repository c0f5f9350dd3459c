namespace AnalyticsHub.Testing;

/// <summary>Locates the repository and its build outputs from a test's output directory.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding AnalyticsHub.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// A project's assembly built in the same configuration and framework as the running tests
    /// (…/bin/{Configuration}/{tfm}/), e.g. <c>BuiltAssembly("src/AnalyticsHub.Server", "AnalyticsHub.Server")</c>.
    /// </summary>
    public static string BuiltAssembly(string projectDirectory, string assemblyName)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(Root, projectDirectory, "bin", testOutput.Parent!.Name, testOutput.Name, assemblyName + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {projectDirectory} first.", dll);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnalyticsHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AnalyticsHub.sln not found above " + AppContext.BaseDirectory);
    }
}
