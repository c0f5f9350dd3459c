namespace AnalyticsHub.LoadRunner.Scenario;

/// <summary>The kinds of event the generator sends, each from the module that emits it.</summary>
public enum EventKind
{
    /// <summary>LLM Observatory telemetry: latency and token metrics.</summary>
    Telemetry,

    /// <summary>CostOps cost in USD.</summary>
    Cost,

    /// <summary>Policy Engine evaluation results.</summary>
    Policy,

    /// <summary>Sentinel security findings, severity ERROR.</summary>
    Security,
}
