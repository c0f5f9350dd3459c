namespace AnalyticsHub.Core.Events;

// Mirrors of the analyticshub.v1 enums with the same numbers, so decoded wire values map 1:1
// without Core referencing the generated contracts.

public enum SourceModule : byte
{
    Unspecified = 0,
    LlmObservatory = 1,
    LlmSentinel = 2,
    LlmCostOps = 3,
    LlmGovernance = 4,
    LlmRegistry = 5,
    LlmPolicyEngine = 6,
}

public enum EventType : byte
{
    Unspecified = 0,
    Telemetry = 1,
    Security = 2,
    Cost = 3,
    Governance = 4,
    Metadata = 5,
    Policy = 6,
}

public enum Severity : byte
{
    Unspecified = 0,
    Debug = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
    Critical = 5,
}

/// <summary>Which payload an event carries (the proto <c>oneof payload</c>, by field number).</summary>
public enum PayloadKind : byte
{
    None = 0,
    Telemetry = 20,
    Security = 21,
    Cost = 22,
    Governance = 23,
    Metadata = 24,
    Policy = 25,
    Custom = 26,
}
