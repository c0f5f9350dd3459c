using System.Globalization;
using System.Text;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>
/// Markdown lines formatted with the invariant culture, and the sections both report kinds share
/// (title and command line, machine, errors, thresholds).
/// </summary>
internal sealed class MarkdownText
{
    private readonly StringBuilder _text = new();

    public void Line(FormattableString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public void Blank() => _text.Append('\n');

    public override string ToString() => _text.ToString();

    public void Title(RunReport r)
    {
        Line($"# Load run {r.RunId}: {r.Scenario.Mode}, {(r.Passed ? "PASSED" : r.ExitCode == ExitCodes.NoAcks ? "NO ACKS" : "FAILED")}");
        Blank();
        Line($"Started {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {r.ElapsedSeconds:0.0} s in all{(r.Interrupted ? " (interrupted)" : "")}.");
        Blank();
        Line($"```");
        Line($"{r.CommandLine}");
        Line($"```");
        Blank();
    }

    /// <summary>The machine, and what the generator cost per <paramref name="unit"/> (batch, query).</summary>
    public void Machine(RunReport r, string unit)
    {
        Line($"## Machine");
        Blank();
        Line($"{r.Machine.Cores} cores, {r.Machine.CpuModel}; {r.Machine.Os}; {r.Machine.Runtime}; host {r.Machine.Host}{(r.Machine.LoadAverage.Length > 0 ? $"; load average {r.Machine.LoadAverage} at the end" : "")}.");
        Line($"The generator runs on the same machine as the hub: it used {r.Client.CpuPercent:0.#}% of one core in the steady state ({r.Client.AllocatedBytesPerBatch:N0} bytes allocated per {unit}).");
        Blank();
    }

    public void Errors(RunReport r, string unit)
    {
        Line($"## Errors");
        Blank();
        if (r.Errors.Count == 0)
        {
            Line($"None.");
        }
        else
        {
            Line($"| kind | {unit} |");
            Line($"|---|---:|");
            foreach (var e in r.Errors)
            {
                Line($"| {e.Kind} | {e.Count:N0} |");
            }
        }
    }

    public void Thresholds(RunReport r)
    {
        Blank();
        Line($"## Thresholds");
        Blank();
        if (r.Thresholds.Count == 0)
        {
            Line($"None given.");
        }
        else
        {
            Line($"| threshold | limit | actual | result |");
            Line($"|---|---:|---:|---|");
            foreach (var th in r.Thresholds)
            {
                Line($"| {th.Name} | {th.Limit:N2} | {th.Actual:N2} | {(th.Passed ? "pass" : "FAIL")} |");
            }
        }

        Blank();
        Line($"Exit code {r.ExitCode}.");
        Blank();
    }
}
