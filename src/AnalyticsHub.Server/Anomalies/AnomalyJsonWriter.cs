using System.Buffers;
using System.Text.Json;
using AnalyticsHub.Analytics.Anomalies.Ensemble;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>The <c>POST /api/v1/anomalies/detect</c> answer in the API's shape: a score and expected range per point,
/// and the flagged points with severity, confidence, the detectors that fired and an explanation.</summary>
internal static class AnomalyJsonWriter
{
    public static void Write(IBufferWriter<byte> output, AnomalyAnswer answer, double tookMs)
    {
        var request = answer.Request;
        using var json = new Utf8JsonWriter(output, HubJsonWriter.Options);
        json.WriteStartObject();
        json.WriteString("status", "success");
        json.WriteStartObject("data");
        json.WriteString("detector", request.Detector);
        if (request.Series is { } series)
        {
            json.WriteString("series", series);
        }

        json.WriteNumber("threshold", answer.Threshold);
        json.WriteStartArray("points");
        for (var i = 0; i < answer.Scores.Length; i++)
        {
            var score = answer.Scores[i];
            json.WriteStartObject();
            json.WriteString("timestamp", SeriesJson.Format(request.Timestamps[i]));
            json.WriteNumber("value", request.Values[i]);
            json.WriteNumberOrNull("anomaly_score", score.Score);
            json.WriteNumberOrNull("expected_low", score.ExpectedLow);
            json.WriteNumberOrNull("expected_high", score.ExpectedHigh);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("anomalies");
        foreach (var verdict in answer.Flagged)
        {
            WriteVerdict(json, verdict);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNull("error");
        json.WriteStartObject("meta");
        json.WriteNumber("execution_time_ms", Math.Round(tookMs, 3));
        json.WriteNumber("row_count", answer.Scores.Length);
        json.WriteBoolean("cached", false);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteVerdict(Utf8JsonWriter json, AnomalyVerdict verdict)
    {
        json.WriteStartObject();
        json.WriteString("timestamp", SeriesJson.Format(DateTimeOffset.FromUnixTimeSeconds(verdict.TimestampUnixSeconds)));
        json.WriteNumber("value", verdict.Value);
        json.WriteNumberOrNull("anomaly_score", verdict.Score);
        json.WriteString("severity", verdict.Severity.ToString().ToLowerInvariant());
        json.WriteNumberOrNull("confidence", verdict.Confidence);
        json.WriteNumberOrNull("expected_low", verdict.ExpectedLow);
        json.WriteNumberOrNull("expected_high", verdict.ExpectedHigh);
        json.WriteStartArray("fired");
        foreach (var name in verdict.Fired)
        {
            json.WriteStringValue(name);
        }
        json.WriteEndArray();
        json.WriteString("explanation", verdict.Explanation);
        json.WriteEndObject();
    }
}
