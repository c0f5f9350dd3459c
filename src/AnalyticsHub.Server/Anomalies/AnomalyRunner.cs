using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Analytics.Anomalies.Ensemble;
using AnalyticsHub.Analytics.Anomalies.Feedback;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>Runs one fresh detector over a request's series, point by point as it would run live, keeping every score
/// and, from the ensemble, the full verdict of each point at or above the series' alert threshold.</summary>
internal static class AnomalyRunner
{
    public static AnomalyAnswer Run(AnomalyRequest request, double threshold)
    {
        var detector = AnomalyDetectorCatalog.Create(request.Detector)!;
        var scores = new AnomalyScore[request.Values.Length];
        var flagged = new List<AnomalyVerdict>();
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = detector.Observe(request.Timestamps[i].ToUnixTimeSeconds(), request.Values[i]);
            if (detector is EnsembleDetector ensemble && SeriesAlertThreshold.Alerts(scores[i].Score, threshold))
            {
                flagged.Add(ensemble.Explain());
            }
        }
        return new AnomalyAnswer(request, scores, flagged, threshold);
    }
}

/// <summary>A detector's scores for every point of the request, and the ensemble's verdicts on the points it flagged.</summary>
internal sealed record AnomalyAnswer(AnomalyRequest Request, AnomalyScore[] Scores, IReadOnlyList<AnomalyVerdict> Flagged, double Threshold);
