using System.Diagnostics;
using AnalyticsHub.Protocol.Grpc;
using Xunit;

namespace AnalyticsHub.Client.Tests.Infrastructure;

internal static class Expect
{
    /// <summary>Generous bound for anything that must not hang; the tests normally finish in milliseconds.</summary>
    public static readonly TimeSpan NoHang = TimeSpan.FromSeconds(20);

    /// <summary>Awaits <paramref name="task"/> (bounded) and checks it failed with <paramref name="code"/>.</summary>
    public static async Task<RpcException> StatusAsync(StatusCode code, Task task, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        var bound = within ?? NoHang;
        var ex = await Assert.ThrowsAsync<RpcException>(() => task.WaitAsync(bound));
        Assert.True(code == ex.StatusCode, $"Expected {code}, got {ex.Status}");
        Assert.True(clock.Elapsed < bound, $"Took {clock.Elapsed}");
        return ex;
    }

    public static Task<RpcException> StatusAsync(StatusCode code, Func<Task> action, TimeSpan? within = null) =>
        StatusAsync(code, Task.Run(action), within);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(NoHang);

    public static Task Bounded(this Task task) => task.WaitAsync(NoHang);
}
