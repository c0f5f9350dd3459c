using Spectre.Console;
using Spectre.Console.Rendering;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>Runs a body inside a Spectre.Console live display that stays on screen afterwards (the final state is the record).</summary>
internal static class LiveDisplay
{
    /// <param name="attach">Receives the display's context once it is live, for the view to redraw through.</param>
    public static async Task<T> RunAsync<T>(IAnsiConsole console, IRenderable initial, Action<LiveDisplayContext> attach, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(attach);
        ArgumentNullException.ThrowIfNull(body);
        T result = default!;
        await console.Live(initial).AutoClear(false).Overflow(VerticalOverflow.Visible).StartAsync(async context =>
        {
            attach(context);
            result = await body().ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }
}
