namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// A detector's NAB result under one profile: the threshold the sweep chose (<see cref="double.PositiveInfinity"/>
/// when never firing scored best), the tally there, the raw score and the normalised score (null 0, perfect 100).
/// </summary>
public sealed record NabProfileResult(NabProfile Profile, double Threshold, NabTally Tally, double RawScore, double NormalisedScore);
