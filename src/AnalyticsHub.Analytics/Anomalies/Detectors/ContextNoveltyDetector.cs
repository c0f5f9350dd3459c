using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Contextual novelty, after the idea behind NAB's contextOSE / CAD detector (our own formulation). Each value is
/// quantised into one of a few levels of the series' range. The range is learned online: the first <c>warmUp</c>
/// points set a grid of <c>levels</c> equal bins (and are then learnt as contexts, so their levels are not news when
/// they come back), and the grid is rebuilt from the range seen so far whenever that range has doubled. Values
/// outside the grid get bins of their own, so a new extreme is a new level. The last 1 … <c>maxOrder</c> levels form
/// one context per order (hashed), and a bounded memory counts how often each context has occurred
/// (<see cref="ContextMemory"/>: at most 2 × <c>memoryCapacity</c> contexts, least recently used forgotten first).
/// <para>
/// The score is the mean over the orders of 1 / (1 + times seen). A new context counts 1 and one seen once counts ½,
/// so the score is the share of the point's contexts that are new or rarely seen. It is 1 exactly when the level
/// itself is new (a value in a part of the range the memory has not seen), and it is high when a run of ordinary
/// levels arrives in an order never seen before, such as a broken repeating pattern.
/// </para>
/// <para>
/// A rebuilt grid reuses bin numbers with the new width, so the memory carries over approximately instead of being
/// discarded (tagging contexts with the grid they came from scored 4 points lower in the ensemble on NAB); the value
/// that forced the rebuild is a new extreme and scores 1. In white noise most long contexts are new, so the score
/// hovers around 0.6 there: it is not a standalone alarm on noisy series, except at 1 (a new level). The ensemble
/// calibrates it per series (<c>ScoreSurprise</c>) and lets a new level report directly.
/// </para>
/// O(<c>maxOrder</c>) per point, fixed memory (about 128 KB at the default capacity), no allocation after construction;
/// deterministic.
/// </summary>
public sealed class ContextNoveltyDetector : IAnomalyDetector
{
    /// <summary>The grid is rebuilt when the range seen has grown by this factor since the last build.</summary>
    public const double RegridGrowth = 2.0;

    private const ulong Seed = 0x9E3779B97F4A7C15UL;

    private readonly int _levels;
    private readonly int _warmUp;
    private readonly long[] _recent;
    private readonly double[] _warmUpValues;
    private readonly ContextMemory _memory;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _low;
    private double _width;
    private long _seen;
    private long _quantised;

    /// <param name="levels">Bins across the range seen (when the grid is built).</param>
    /// <param name="maxOrder">Longest context, in points; every order from 1 up is scored.</param>
    /// <param name="warmUp">Points that set the first grid before the first score.</param>
    /// <param name="memoryCapacity">Contexts per generation of the memory (it holds at most twice this).</param>
    public ContextNoveltyDetector(int levels = 12, int maxOrder = 6, int warmUp = 64, int memoryCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        _levels = levels;
        _warmUp = Math.Max(warmUp, 1);
        _recent = new long[maxOrder];
        _warmUpValues = new double[_warmUp];
        _memory = new ContextMemory(memoryCapacity);
    }

    /// <inheritdoc />
    public string Name => "context-novelty";

    /// <summary>Contexts held in memory now.</summary>
    public int ContextCount => _memory.Count;

    /// <summary>The most contexts the memory can hold.</summary>
    public int ContextCapacity => _memory.Capacity;

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_seen < _warmUp)
        {
            _warmUpValues[_seen++] = value;
            if (_seen < _warmUp)
            {
                return AnomalyScore.Learning;
            }

            // The warm-up points set the first grid, then they are learnt as contexts like any other points.
            BuildGrid();
            foreach (double v in _warmUpValues)
            {
                Learn(v);
            }

            return AnomalyScore.Learning;
        }

        _seen++;

        // The grid is rebuilt when the range has doubled. The value that doubled it is a new extreme, so it is a new
        // level, although the rebuilt grid gives it a bin number that the old grid's contexts have used.
        bool newExtreme = false;
        if (_max - _min > RegridGrowth * _levels * _width)
        {
            newExtreme = true;
            BuildGrid();
        }

        double novelty = Learn(value);
        return newExtreme ? new AnomalyScore(1.0, _min, _max) : new AnomalyScore(novelty, _min, _max);
    }

    /// <summary>Quantises the value, records the contexts it ends and returns their mean novelty.</summary>
    private double Learn(double value)
    {
        int orders = _recent.Length;
        _recent[_quantised % orders] = (long)Math.Clamp(Math.Floor((value - _low) / _width), -1e9, 1e9);
        _quantised++;

        // Contexts of every order, newest level first: order k hashes the last k levels (and k itself).
        int available = (int)Math.Min(_quantised, orders);
        double novelty = 0;
        ulong hash = Seed;
        for (int k = 1; k <= available; k++)
        {
            hash = SplitMix64.Mix(hash ^ (ulong)_recent[(_quantised - k) % orders] ^ ((ulong)k << 56));
            novelty += 1.0 / (1 + _memory.Observe(hash));
        }

        return novelty / available;
    }

    private void BuildGrid()
    {
        double floor = 1e-6 * Math.Max(1.0, Math.Max(Math.Abs(_min), Math.Abs(_max)));
        _width = Math.Max(_max - _min, floor) / _levels;
        _low = _min;
    }
}
