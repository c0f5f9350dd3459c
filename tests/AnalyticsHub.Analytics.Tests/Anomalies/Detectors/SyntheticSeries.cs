using AnalyticsHub.Analytics.Anomalies;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>Constructed series for detector tests: Gaussian noise (fixed seed) at 5-minute spacing, plus one event.</summary>
internal static class SyntheticSeries
{
    public const long Spacing = 300;
    public const long Start = 1_700_000_000 - (1_700_000_000 % 86_400); // midnight, so phases line up with days
    public const int Length = 2000;
    public const int EventAt = 1500;
    public const int PointsPerDay = 288;

    public static double[] Noise(int seed = 1, int length = Length, double level = 100, double sigma = 1)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Box–Muller.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = level + (sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    public static double[] Spike(double height = 12)
    {
        var values = Noise();
        values[EventAt] += height;
        return values;
    }

    public static double[] LevelShift(double step = 6)
    {
        var values = Noise();
        for (int i = EventAt; i < values.Length; i++)
        {
            values[i] += step;
        }

        return values;
    }

    public static double[] TrendChange(double slopePerPoint = 0.1)
    {
        var values = Noise();
        for (int i = EventAt; i < values.Length; i++)
        {
            values[i] += slopePerPoint * (i - EventAt);
        }

        return values;
    }

    public static double[] Flat(double level = 5.0) => Enumerable.Repeat(level, Length).ToArray();

    /// <summary>Ten days of a daily sine (amplitude 20) with noise; on day 8 the morning peak is flattened to the mean —
    /// a value that is ordinary for the series, but not for that time of day.</summary>
    public static double[] Seasonal(bool brokenCycle)
    {
        var values = Noise(seed: 2, length: 10 * PointsPerDay);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += 20 * Math.Sin(2 * Math.PI * i / PointsPerDay);
        }

        if (brokenCycle)
        {
            for (int i = BrokenCycleStart; i < BrokenCycleStart + 48; i++)
            {
                values[i] -= 20 * Math.Sin(2 * Math.PI * i / PointsPerDay);
            }
        }

        return values;
    }

    /// <summary>A repeating triangle (period <see cref="PatternPeriod"/>: up from 50 to 70, back down) with a little
    /// uniform jitter. The broken cycle, starting at <see cref="BrokenPatternStart"/>, runs the other way round (down,
    /// then up): every value in it is ordinary for the series, only their order is new.</summary>
    public static double[] RepeatingPattern(bool brokenCycle)
    {
        var random = new Random(3);
        var values = new double[Length];
        for (int i = 0; i < values.Length; i++)
        {
            int phase = i % PatternPeriod;
            bool reversed = brokenCycle && i >= BrokenPatternStart && i < BrokenPatternStart + PatternPeriod;
            int half = PatternPeriod / 2;
            int rise = phase < half ? phase : PatternPeriod - phase;
            values[i] = 50 + (reversed ? half - rise : rise) + (0.1 * (random.NextDouble() - 0.5));
        }

        return values;
    }

    public const int PatternPeriod = 40;

    /// <summary>Half-hourly points per day and per week in <see cref="WeeklyDemand"/>.</summary>
    public const int HalfHoursPerDay = 48, HalfHoursPerWeek = 7 * 48;

    /// <summary>Monday 2024-01-01, midnight UTC: the first point of <see cref="WeeklyDemand"/>.</summary>
    public const long WeeklyStart = 1_704_067_200;

    /// <summary>
    /// Taxi-like demand every half hour for <paramref name="weeks"/> weeks, starting on a Monday: weekdays with a
    /// morning and an evening peak, weekends with one late broad peak, quiet nights, ±4 % uniform noise (rounded to whole
    /// rides). Day <paramref name="holiday"/> (counted from 0, −1 for none) is a weekday that runs a weekend's shape:
    /// every value of it is ordinary for the series, and even for its time of day on some days of the week.
    /// </summary>
    public static double[] WeeklyDemand(int weeks, int holiday, int seed)
    {
        var random = new Random(seed);
        var values = new double[weeks * HalfHoursPerWeek];
        for (int i = 0; i < values.Length; i++)
        {
            int day = i / HalfHoursPerDay;
            double hour = (i % HalfHoursPerDay) / 2.0;
            bool weekendShape = day % 7 >= 5 || day == holiday;
            double shape = weekendShape
                ? 6000 + (9000 * Bump(hour, 15, 4))
                : 4000 + (14000 * Bump(hour, 8.5, 1.5)) + (16000 * Bump(hour, 19, 2.5));
            values[i] = Math.Round((hour < 5 ? 0.5 : 1.0) * shape * (1 + (0.04 * ((2 * random.NextDouble()) - 1))));
        }

        return values;

        static double Bump(double hour, double at, double width) => Math.Exp(-Math.Pow((hour - at) / width, 2));
    }

    /// <summary>First point of the broken cycle of <see cref="RepeatingPattern"/> (a cycle boundary).</summary>
    public const int BrokenPatternStart = 1520;

    /// <summary>First point of the flattened peak (day 8, 06:00 − 2 h, where the sine is near its top).</summary>
    public static int BrokenCycleStart => (8 * PointsPerDay) + 48;

    public static long TimestampOf(int index) => Start + (index * Spacing);

    /// <summary>Runs a fresh detector over the values and returns its scores.</summary>
    public static double[] Scores(IAnomalyDetector detector, double[] values)
    {
        var scores = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            scores[i] = detector.Observe(TimestampOf(i), values[i]).Score;
        }

        return scores;
    }

    public static double Max(double[] scores, int from, int to) => scores.AsSpan(from, to - from).ToArray().Max();
}
