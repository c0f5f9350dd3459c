using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// A small tmpfs mounted on a fresh temporary directory (needs root, as these tests have), so
/// a test can fill a real file system or make it read-only. Unmounted and removed on dispose.
/// </summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts, or returns null after writing why to <paramref name="output"/> (not root, no mount(8)).</summary>
    public static async Task<TmpfsMount?> TryMountAsync(int sizeMiB, ITestOutputHelper output)
    {
        var path = Directory.CreateTempSubdirectory("hub-tmpfs-").FullName;
        var (code, text) = await RunAsync("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={sizeMiB}m,mode=0755"), "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            output.WriteLine($"SKIPPED: cannot mount a tmpfs here (mount exited with {code}: {text.Trim()}); this test needs root.");
            return null;
        }

        return new TmpfsMount(path);
    }

    /// <summary><c>mount -o remount,OPTIONS</c>: e.g. <c>ro</c>, <c>rw</c>, <c>size=64m</c>.</summary>
    public async Task RemountAsync(string options)
    {
        var (code, text) = await RunAsync("mount", "-o", "remount," + options, Path);
        Assert.True(code == 0, $"mount -o remount,{options} {Path} exited with {code}: {text}");
    }

    /// <summary>Bytes available to unprivileged writers, as df sees them.</summary>
    public long AvailableBytes => new DriveInfo(Path).AvailableFreeSpace;

    public async ValueTask DisposeAsync()
    {
        var (code, text) = await RunAsync("umount", Path);
        if (code != 0)
        {
            // A process still holding a file (a hub that failed to die): detach now, freed when it closes.
            (code, text) = await RunAsync("umount", "-l", Path);
        }

        Assert.True(code == 0, $"umount {Path} exited with {code}: {text}");
        Directory.Delete(Path, recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
