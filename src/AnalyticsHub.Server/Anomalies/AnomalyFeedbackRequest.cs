using System.Text.Json;
using AnalyticsHub.Analytics.Anomalies.Feedback;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>A validated <c>POST /api/v1/anomalies/feedback</c> body.</summary>
internal sealed record AnomalyFeedbackRequest(string Series, FeedbackLabel Label);

/// <summary>Parses and validates a feedback body; every problem comes back with its field and what to change.</summary>
internal static class AnomalyFeedbackRequestReader
{
    private static readonly string[] Fields = ["series", "timestamp", "kind", "score"];

    public static Validated<AnomalyFeedbackRequest> Read(ReadOnlyMemory<byte> body) =>
        SeriesJson.ReadObject(body, "\"series\", \"timestamp\", \"kind\" and \"score\"", root =>
        {
            var errors = new List<QueryError>();
            var fields = SeriesJson.Fields(root, Fields, errors);
            var series = ReadSeries(fields, errors);
            var timestamp = ReadTimestamp(fields, errors);
            var kind = ReadKind(fields, errors);
            var score = ReadScore(fields, errors);
            return errors.Count > 0
                ? Validated<AnomalyFeedbackRequest>.Fail(errors)
                : Validated<AnomalyFeedbackRequest>.Ok(new AnomalyFeedbackRequest(series!, new FeedbackLabel(timestamp, kind, score)));
        });

    /// <summary>A series name: 1–<see cref="AnomalyFeedbackStore.MaxSeriesNameLength"/> characters, no control characters.</summary>
    public static string? CheckSeries(string? series, List<QueryError> errors)
    {
        if (string.IsNullOrEmpty(series) || series.Length > AnomalyFeedbackStore.MaxSeriesNameLength || series.Any(char.IsControl))
        {
            errors.Add(new("series", $"Name the series in 1 to {AnomalyFeedbackStore.MaxSeriesNameLength} characters without control characters (e.g. \"llm-observatory/latency_ms/gpt-4o\")."));
            return null;
        }

        return series;
    }

    private static string? ReadSeries(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!fields.TryGetValue("series", out var element) || element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new("series", "Required: the series' name as a string, the same one given to /api/v1/anomalies/detect."));
            return null;
        }

        return CheckSeries(element.GetString(), errors);
    }

    private static long ReadTimestamp(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (fields.TryGetValue("timestamp", out var element) && element.ValueKind == JsonValueKind.String
            && SeriesJson.TryParseRfc3339(element.GetString()!, out var time))
        {
            return time.ToUnixTimeSeconds();
        }

        errors.Add(new("timestamp", "Required: the labelled point's time as an RFC 3339 string (2026-01-05T14:00:00Z)."));
        return 0;
    }

    private static FeedbackKind ReadKind(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (fields.TryGetValue("kind", out var element) && element.ValueKind == JsonValueKind.String && FeedbackKinds.TryParse(element.GetString(), out var kind))
        {
            return kind;
        }

        errors.Add(new("kind", $"Required: \"{FeedbackKinds.FalsePositive}\" (flagged, but not an anomaly) or \"{FeedbackKinds.MissedAnomaly}\" (an anomaly that was not flagged)."));
        return default;
    }

    private static double ReadScore(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (fields.TryGetValue("score", out var element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetDouble(out var score) && score is >= 0 and <= 1)
        {
            return score;
        }

        errors.Add(new("score", "Required: the anomaly_score the detection gave the point, a number from 0 to 1."));
        return 0;
    }
}
