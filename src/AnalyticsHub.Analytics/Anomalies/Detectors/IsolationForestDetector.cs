using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Online isolation forest over shingles (the last <c>shingle</c> values as one point, so a pattern — not only a
/// value — can be unusual). The last <c>sampleSize</c> shingles are kept in a ring; every <c>rebuildEvery</c> points
/// a small forest is rebuilt in place on random subsamples of that ring. The isolation score 2^(−E[h]/c(ψ)) is about
/// 0.5 for ordinary points and approaches 1 for isolated ones; it is stretched from [0.5, 0.85] onto [0, 1]. This is
/// not a tail probability: on Gaussian noise the largest of a thousand scores reaches about 0.6.
/// Amortised O(trees · depth) per point, fixed memory, no allocation after construction; deterministic per seed.
/// </summary>
public sealed class IsolationForestDetector : IAnomalyDetector
{
    private const double NeutralScore = 0.5;
    private const double SaturatedScore = 0.85;

    private readonly int _dimensions;
    private readonly int _subsample;
    private readonly int _rebuildEvery;
    private readonly double[] _sample; // row-major: sampleSize × dimensions
    private readonly double[] _shingle;
    private readonly IsolationTree[] _trees;
    private readonly int[] _rows;
    private readonly double _normaliser;
    private uint _random;
    private long _seen;
    private bool _built;
    private double _low;
    private double _high;

    /// <param name="shingle">Values per point of the forest.</param>
    /// <param name="sampleSize">Recent shingles kept to build from.</param>
    /// <param name="trees">Trees in the forest.</param>
    /// <param name="subsample">Shingles per tree (ψ); depth is capped at log2 ψ.</param>
    /// <param name="rebuildEvery">Points between rebuilds.</param>
    /// <param name="seed">Seed of the random splits.</param>
    public IsolationForestDetector(int shingle = 4, int sampleSize = 256, int trees = 32, int subsample = 64, int rebuildEvery = 128, uint seed = 17)
    {
        _dimensions = shingle;
        _subsample = Math.Min(subsample, sampleSize);
        _rebuildEvery = rebuildEvery;
        _sample = new double[sampleSize * shingle];
        _shingle = new double[shingle];
        _rows = new int[_subsample];
        int depth = (int)Math.Ceiling(Math.Log2(_subsample));
        _trees = new IsolationTree[trees];
        for (int i = 0; i < trees; i++)
        {
            _trees[i] = new IsolationTree(depth);
        }

        _normaliser = IsolationTree.AveragePathLength(_subsample);
        _random = seed == 0 ? 1u : seed;
    }

    /// <inheritdoc />
    public string Name => "isolation-forest";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        // Shift the shingle left and append the value.
        Array.Copy(_shingle, 1, _shingle, 0, _dimensions - 1);
        _shingle[_dimensions - 1] = value;
        _seen++;
        if (_seen < _dimensions)
        {
            return AnomalyScore.Learning;
        }

        var score = AnomalyScore.Learning;
        if (_built)
        {
            double depth = 0;
            foreach (var tree in _trees)
            {
                depth += tree.PathLength(_shingle);
            }

            double isolation = Math.Pow(2, -depth / _trees.Length / _normaliser);
            double scaled = Math.Clamp((isolation - NeutralScore) / (SaturatedScore - NeutralScore), 0, 1);
            score = new AnomalyScore(scaled, _low, _high);
        }

        int rows = _sample.Length / _dimensions;
        long shingles = _seen - _dimensions + 1;
        int row = (int)((shingles - 1) % rows);
        _shingle.CopyTo(_sample.AsSpan(row * _dimensions, _dimensions));
        if (shingles >= rows && (shingles % _rebuildEvery == 0 || !_built))
        {
            Rebuild(rows);
        }

        return score;
    }

    private void Rebuild(int rows)
    {
        _low = double.MaxValue;
        _high = double.MinValue;
        for (int r = 0; r < rows; r++)
        {
            double v = _sample[(r * _dimensions) + _dimensions - 1];
            _low = Math.Min(_low, v);
            _high = Math.Max(_high, v);
        }

        foreach (var tree in _trees)
        {
            for (int i = 0; i < _rows.Length; i++)
            {
                _rows[i] = (int)(IsolationTree.Next(ref _random) % (uint)rows);
            }

            tree.Build(_sample, _dimensions, _rows, ref _random);
        }

        _built = true;
    }
}
