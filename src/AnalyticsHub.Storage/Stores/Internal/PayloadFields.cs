using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Storage.Stores.Internal;

/// <summary>
/// Where each payload field lives in a stored row: the payload's map (the one JSON object of string
/// pairs), its measure columns (<c>name</c>, <c>value</c>, <c>unit</c>, tokens), or the payload JSON's
/// top level. Mirrors events.proto as the ingestion writes rows (Protocol's <c>PayloadSchema</c> column
/// mapping and <c>JsonPayloadSchema</c> names; Storage does not reference Protocol, so a change to the
/// payload messages changes this table too).
/// </summary>
internal static class PayloadFields
{
    /// <summary>The payload kinds whose measure column is <c>value</c> (the measured value of a metric query).</summary>
    public static readonly int[] ValueKinds = [(int)PayloadKind.Telemetry, (int)PayloadKind.Cost];

    /// <summary>The payload kinds and the JSON key of each one's map.</summary>
    public static readonly (int Kind, string Name)[] Maps =
    [
        ((int)PayloadKind.Telemetry, "dimensions"),
        ((int)PayloadKind.Security, "details"),
        ((int)PayloadKind.Cost, "attribution"),
        ((int)PayloadKind.Governance, "details"),
        ((int)PayloadKind.Metadata, "attributes"),
        ((int)PayloadKind.Policy, "details"),
        ((int)PayloadKind.Custom, "fields"),
    ];

    // (payload field, payload kind) → the row's column holding it.
    private static readonly (string Field, PayloadKind Kind, MeasureColumn Column)[] Columns =
    [
        ("metric_name", PayloadKind.Telemetry, MeasureColumn.Name),
        ("metric_value", PayloadKind.Telemetry, MeasureColumn.Value),
        ("unit", PayloadKind.Telemetry, MeasureColumn.Unit),
        ("threat_type", PayloadKind.Security, MeasureColumn.Name),
        ("threat_level", PayloadKind.Security, MeasureColumn.Unit),
        ("cost_type", PayloadKind.Cost, MeasureColumn.Name),
        ("amount", PayloadKind.Cost, MeasureColumn.Value),
        ("currency", PayloadKind.Cost, MeasureColumn.Unit),
        ("input_tokens", PayloadKind.Cost, MeasureColumn.InputTokens),
        ("output_tokens", PayloadKind.Cost, MeasureColumn.OutputTokens),
        ("governance_type", PayloadKind.Governance, MeasureColumn.Name),
        ("outcome", PayloadKind.Governance, MeasureColumn.Unit),
        ("change_type", PayloadKind.Metadata, MeasureColumn.Name),
        ("version", PayloadKind.Metadata, MeasureColumn.Unit),
        ("policy_id", PayloadKind.Policy, MeasureColumn.Name),
        ("decision", PayloadKind.Policy, MeasureColumn.Unit),
        ("score", PayloadKind.Policy, MeasureColumn.Value),
        ("type_name", PayloadKind.Custom, MeasureColumn.Name),
    ];

    /// <summary>The payload kinds in which <paramref name="field"/> is held by a column, grouped by column (empty: always the JSON's top level).</summary>
    public static IReadOnlyList<(MeasureColumn Column, int[] Kinds)> ColumnsOf(string field) =>
        [.. Columns.Where(c => c.Field == field).GroupBy(c => c.Column).Select(g => (g.Key, g.Select(c => (int)c.Kind).ToArray()))];

    /// <summary>The column's SQL name.</summary>
    public static string Name(MeasureColumn column) => column switch
    {
        MeasureColumn.Name => "name",
        MeasureColumn.Value => "value",
        MeasureColumn.Unit => "unit",
        MeasureColumn.InputTokens => "input_tokens",
        _ => "output_tokens",
    };

    public static bool IsNumber(MeasureColumn column) => column is MeasureColumn.Value or MeasureColumn.InputTokens or MeasureColumn.OutputTokens;
}

/// <summary>A stored row's payload measure columns.</summary>
internal enum MeasureColumn
{
    Name,
    Value,
    Unit,
    InputTokens,
    OutputTokens,
}
