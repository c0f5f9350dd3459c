namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>The process exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The run finished and every threshold given was met.</summary>
    public const int Passed = 0;

    /// <summary>A threshold (--min-rate, --max-p99-ms) was not met.</summary>
    public const int ThresholdUnmet = 1;

    /// <summary>Invalid options.</summary>
    public const int InvalidOptions = 2;

    /// <summary>Not a single batch was acknowledged in the steady state (hub unreachable, every call failing).</summary>
    public const int NoAcks = 3;
}
