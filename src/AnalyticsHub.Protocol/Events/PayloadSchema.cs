using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Events;

/// <summary>Which <see cref="EventRow"/> column a payload field fills (see events.proto).</summary>
internal enum PayloadColumn : byte
{
    /// <summary>Not in this build's schema: skipped whatever its wire type.</summary>
    Unknown,
    Name,
    Value,
    Unit,
    Map,
    InputTokens,
    OutputTokens,

    /// <summary>Known string/bytes field kept only in the raw bytes (wire type still checked).</summary>
    OtherString,
    OtherVarint,
    OtherDouble,
}

/// <summary>The payload messages' field numbers, as columns. Changes here follow events.proto.</summary>
internal static class PayloadSchema
{
    public static PayloadColumn Column(PayloadKind kind, int field) => kind switch
    {
        // TelemetryPayload { metric_name = 1; metric_value = 2; unit = 3; dimensions = 4; }
        PayloadKind.Telemetry => field switch
        {
            1 => PayloadColumn.Name,
            2 => PayloadColumn.Value,
            3 => PayloadColumn.Unit,
            4 => PayloadColumn.Map,
            _ => PayloadColumn.Unknown,
        },

        // SecurityPayload { threat_type = 1; description = 2; threat_level = 3; source_ip = 4; user_id = 5;
        //                   action_taken = 6; affected_resources = 7; details = 8; }
        PayloadKind.Security => field switch
        {
            1 => PayloadColumn.Name,
            3 => PayloadColumn.Unit,
            2 or 4 or 5 or 6 or 7 => PayloadColumn.OtherString,
            8 => PayloadColumn.Map,
            _ => PayloadColumn.Unknown,
        },

        // CostPayload { cost_type = 1; amount = 2; currency = 3; attribution = 4; input_tokens = 5;
        //               output_tokens = 6; model_id = 7; }
        PayloadKind.Cost => field switch
        {
            1 => PayloadColumn.Name,
            2 => PayloadColumn.Value,
            3 => PayloadColumn.Unit,
            4 => PayloadColumn.Map,
            5 => PayloadColumn.InputTokens,
            6 => PayloadColumn.OutputTokens,
            7 => PayloadColumn.OtherString,
            _ => PayloadColumn.Unknown,
        },

        // GovernancePayload { governance_type = 1; policy_id = 2; actor = 3; action = 4; resource = 5;
        //                     outcome = 6; lineage = 7; details = 8; }
        PayloadKind.Governance => field switch
        {
            1 => PayloadColumn.Name,
            6 => PayloadColumn.Unit,
            2 or 3 or 4 or 5 or 7 => PayloadColumn.OtherString,
            8 => PayloadColumn.Map,
            _ => PayloadColumn.Unknown,
        },

        // MetadataPayload { change_type = 1; asset_type = 2; name = 3; version = 4; owner = 5; attributes = 6; }
        PayloadKind.Metadata => field switch
        {
            1 => PayloadColumn.Name,
            4 => PayloadColumn.Unit,
            2 or 3 or 5 => PayloadColumn.OtherString,
            6 => PayloadColumn.Map,
            _ => PayloadColumn.Unknown,
        },

        // PolicyPayload { policy_id = 1; policy_version = 2; decision = 3; passed = 4; score = 5;
        //                 violation_id = 6; rule_id = 7; evaluation_ms = 8; details = 9; }
        PayloadKind.Policy => field switch
        {
            1 => PayloadColumn.Name,
            3 => PayloadColumn.Unit,
            5 => PayloadColumn.Value,
            2 or 6 or 7 => PayloadColumn.OtherString,
            4 => PayloadColumn.OtherVarint,
            8 => PayloadColumn.OtherDouble,
            9 => PayloadColumn.Map,
            _ => PayloadColumn.Unknown,
        },

        // CustomPayload { type_name = 1; json = 2; data = 3; fields = 4; }
        PayloadKind.Custom => field switch
        {
            1 => PayloadColumn.Name,
            2 or 3 => PayloadColumn.OtherString,
            4 => PayloadColumn.Map,
            _ => PayloadColumn.Unknown,
        },

        _ => PayloadColumn.Unknown,
    };
}
