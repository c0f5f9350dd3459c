namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>The exact Gaussian likelihood of a stationary ARMA through the Kalman filter on its state-space form
/// (Harvey, 1989, §3.4; the form R's arima uses): state dimension r = max(AR degree, MA degree + 1), transition with
/// the AR coefficients in the first column and ones on the superdiagonal, disturbance loading (1, Ma₁, …, Ma_{r−1}),
/// no observation noise. Everything is in units of σ², which is concentrated out. Buffers are allocated once per
/// model form and reused by every evaluation.</summary>
internal sealed class ArmaKalmanFilter
{
    // Once the one-step variance is this close to σ² the state is known up to the newest shock and the filter
    // has reached its steady state (gain = loading), so the covariance recursion can stop.
    private const double SteadyStateTolerance = 1e-9;
    private const int MaxDoublings = 40;

    private readonly int _r;
    private readonly double[] _transition;
    private readonly double[] _loading;
    private readonly double[] _state;
    private readonly double[] _covariance;
    private readonly double[] _scratch;
    private readonly double[] _power;
    private readonly double[] _powerScratch;

    public ArmaKalmanFilter(ArimaOrder order)
    {
        _r = Math.Max(order.ExpandedArDegree, order.ExpandedMaDegree + 1);
        _transition = new double[_r];
        _loading = new double[_r];
        _state = new double[_r];
        _covariance = new double[_r * _r];
        _scratch = new double[_r * _r];
        _power = new double[_r * _r];
        _powerScratch = new double[_r * _r];
    }

    /// <summary>Filters <paramref name="centered"/> (the differenced series minus its constant), writes the
    /// standardised innovations v_t/√F_t into <paramref name="standardized"/> and returns Σ v²/F; Σ log F goes to
    /// <paramref name="sumLogVariance"/>. Returns NaN when the model is not stationary enough to start the filter.
    /// Afterwards the filter holds the predicted state for the step after the series (see <see cref="Forecast"/>).</summary>
    public double Run(ArmaPolynomials model, ReadOnlySpan<double> centered, Span<double> standardized, out double sumLogVariance)
    {
        var r = _r;
        Array.Clear(_transition);
        Array.Clear(_loading);
        Array.Clear(_state);
        for (var k = 1; k < model.Ar.Length; k++)
        {
            _transition[k - 1] = model.Ar[k];
        }
        _loading[0] = 1;
        for (var k = 1; k < model.Ma.Length; k++)
        {
            _loading[k] = model.Ma[k];
        }
        sumLogVariance = 0;
        if (!StationaryCovariance())
        {
            return double.NaN;
        }
        double sumSquares = 0;
        var steady = false;
        var p = _covariance;
        var a = _state;
        for (var t = 0; t < centered.Length; t++)
        {
            var v = centered[t] - a[0];
            var f = steady ? 1.0 : p[0];
            if (!(f > 0))
            {
                return double.NaN;
            }
            sumSquares += v * v / f;
            sumLogVariance += Math.Log(f);
            standardized[t] = v / Math.Sqrt(f);
            if (steady)
            {
                // a ← T(a + R v): the gain is the loading.
                var first = a[0] + v;
                for (var i = 0; i < r - 1; i++)
                {
                    a[i] = _transition[i] * first + a[i + 1] + _loading[i + 1] * v;
                }
                a[r - 1] = _transition[r - 1] * first;
                continue;
            }
            Update(v, f);
            Predict();
            steady = Math.Abs(p[0] - 1) < SteadyStateTolerance;
        }
        return sumSquares;
    }

    /// <summary>Forecasts of the centred series for the steps after the last <see cref="Run"/>: Z Tʰ⁻¹ a.</summary>
    public void Forecast(Span<double> forecasts)
    {
        var r = _r;
        var a = _state;
        for (var h = 0; h < forecasts.Length; h++)
        {
            forecasts[h] = a[0];
            var first = a[0];
            for (var i = 0; i < r - 1; i++)
            {
                a[i] = _transition[i] * first + a[i + 1];
            }
            a[r - 1] = _transition[r - 1] * first;
        }
    }

    private void Update(double v, double f)
    {
        var r = _r;
        var p = _covariance;
        var a = _state;
        for (var i = 0; i < r; i++)
        {
            a[i] += p[i * r] * v / f;
        }
        // P ← P − P[:,0] P[0,:] / F; the first row is read before it changes.
        var column = _scratch.AsSpan(0, r);
        for (var i = 0; i < r; i++)
        {
            column[i] = p[i * r];
        }
        for (var i = 0; i < r; i++)
        {
            var scale = column[i] / f;
            if (scale == 0)
            {
                continue;
            }
            var row = p.AsSpan(i * r, r);
            for (var j = 0; j < r; j++)
            {
                row[j] -= scale * column[j];
            }
        }
    }

    private void Predict()
    {
        var r = _r;
        var p = _covariance;
        var a = _state;
        var first = a[0];
        for (var i = 0; i < r - 1; i++)
        {
            a[i] = _transition[i] * first + a[i + 1];
        }
        a[r - 1] = _transition[r - 1] * first;
        // M = T P: M[i,j] = T_i P[0,j] + P[i+1,j].
        var m = _scratch;
        for (var i = 0; i < r; i++)
        {
            var ti = _transition[i];
            for (var j = 0; j < r; j++)
            {
                m[i * r + j] = ti * p[j] + (i + 1 < r ? p[(i + 1) * r + j] : 0);
            }
        }
        // P = M Tᵀ + R Rᵀ: P[i,j] = M[i,0] T_j + M[i,j+1] + R_i R_j.
        for (var i = 0; i < r; i++)
        {
            var mi0 = m[i * r];
            var ri = _loading[i];
            for (var j = 0; j < r; j++)
            {
                p[i * r + j] = mi0 * _transition[j] + (j + 1 < r ? m[i * r + j + 1] : 0) + ri * _loading[j];
            }
        }
    }

    /// <summary>Solves P = T P Tᵀ + R Rᵀ by doubling: P = Σₖ Tᵏ R Rᵀ (Tᵏ)ᵀ summed 2ⁿ terms at a time.</summary>
    private bool StationaryCovariance()
    {
        var r = _r;
        var p = _covariance;
        var power = _power;
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < r; j++)
            {
                p[i * r + j] = _loading[i] * _loading[j];
                power[i * r + j] = (j == 0 ? _transition[i] : 0) + (j == i + 1 ? 1 : 0);
            }
        }
        for (var iteration = 0; iteration < MaxDoublings; iteration++)
        {
            // P ← P + A P Aᵀ
            Multiply(power, p, _scratch, transposeRight: false);
            Multiply(_scratch, power, _powerScratch, transposeRight: true);
            double largest = 0;
            for (var i = 0; i < p.Length; i++)
            {
                p[i] += _powerScratch[i];
                largest = Math.Max(largest, Math.Abs(_powerScratch[i]));
            }
            if (largest < 1e-12 * Math.Max(1, Math.Abs(p[0])))
            {
                return true;
            }
            if (!double.IsFinite(largest))
            {
                return false;
            }
            // A ← A²
            Multiply(power, power, _scratch, transposeRight: false);
            Array.Copy(_scratch, power, power.Length);
        }
        return false;
    }

    private void Multiply(double[] left, double[] right, double[] result, bool transposeRight)
    {
        var r = _r;
        Array.Clear(result);
        for (var i = 0; i < r; i++)
        {
            for (var k = 0; k < r; k++)
            {
                var lik = left[i * r + k];
                if (lik == 0)
                {
                    continue;
                }
                for (var j = 0; j < r; j++)
                {
                    result[i * r + j] += lik * (transposeRight ? right[j * r + k] : right[k * r + j]);
                }
            }
        }
    }
}
