using System.Text.Json;
using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>Parses and validates a <c>POST /api/v1/anomalies/detect</c> body; every problem comes back with its field and what to change.</summary>
internal static class AnomalyRequestReader
{
    private static readonly string[] Fields = ["timestamps", "values", "detector", "series"];

    public static Validated<AnomalyRequest> Read(ReadOnlyMemory<byte> body) =>
        SeriesJson.ReadObject(body, "\"timestamps\" and \"values\"", root =>
        {
            var errors = new List<QueryError>();
            var fields = SeriesJson.Fields(root, Fields, errors);
            var timestamps = SeriesJson.ReadTimestamps(fields, errors);
            var values = SeriesJson.ReadValues(fields, errors);
            var detector = ReadDetector(fields, errors);
            var series = ReadSeries(fields, errors);
            if (errors.Count == 0)
            {
                SeriesJson.CheckPairs(timestamps!, values!, errors);
            }
            return errors.Count > 0
                ? Validated<AnomalyRequest>.Fail(errors)
                : Validated<AnomalyRequest>.Ok(new AnomalyRequest(timestamps!, values!, detector, series));
        });

    private static string? ReadSeries(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!fields.TryGetValue("series", out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new("series", "The series' name as a string (its operator feedback sets the alert threshold)."));
            return null;
        }

        return AnomalyFeedbackRequestReader.CheckSeries(element.GetString(), errors);
    }

    private static string ReadDetector(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!fields.TryGetValue("detector", out var element))
        {
            return AnomalyDetectorCatalog.DefaultName;
        }
        if (element.ValueKind == JsonValueKind.String && AnomalyDetectorCatalog.Factories.ContainsKey(element.GetString()!))
        {
            return element.GetString()!;
        }
        errors.Add(new("detector", "Unknown detector; use one of " + string.Join(", ", AnomalyDetectorCatalog.Factories.Keys) + "."));
        return AnomalyDetectorCatalog.DefaultName;
    }
}
