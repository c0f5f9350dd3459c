namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// A dense autoencoder <c>inputs → hidden → inputs</c> (tanh hidden layer, linear output) trained one sample at a time
/// by plain SGD on half the squared reconstruction error. The weights live in preallocated arrays and the last forward
/// pass is cached for the backward step, so neither allocates. Initialised from a SplitMix64 stream of the seed
/// (Glorot-uniform), so two instances with one seed learn identically.
/// </summary>
internal sealed class TinyAutoencoder
{
    private readonly int _inputs;
    private readonly int _hidden;
    private readonly double[] _encoder; // hidden × inputs, row-major
    private readonly double[] _encoderBias;
    private readonly double[] _decoder; // inputs × hidden, row-major
    private readonly double[] _decoderBias;
    private readonly double[] _activations;
    private readonly double[] _output;
    private readonly double[] _hiddenGradient;

    public TinyAutoencoder(int inputs, int hidden, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        _inputs = inputs;
        _hidden = hidden;
        _encoder = new double[hidden * inputs];
        _encoderBias = new double[hidden];
        _decoder = new double[inputs * hidden];
        _decoderBias = new double[inputs];
        _activations = new double[hidden];
        _output = new double[inputs];
        _hiddenGradient = new double[hidden];
        double limit = Math.Sqrt(6.0 / (inputs + hidden));
        ulong state = seed;
        for (int i = 0; i < _encoder.Length; i++)
        {
            _encoder[i] = limit * ((2 * SplitMix64.NextUnit(ref state)) - 1);
            _decoder[i] = limit * ((2 * SplitMix64.NextUnit(ref state)) - 1);
        }
    }

    public int Inputs => _inputs;

    /// <summary>The reconstruction of the last <see cref="Reconstruct"/> input.</summary>
    public ReadOnlySpan<double> Output => _output;

    /// <summary>Encodes and decodes <paramref name="input"/>; returns the mean squared reconstruction error.</summary>
    public double Reconstruct(ReadOnlySpan<double> input)
    {
        for (int k = 0; k < _hidden; k++)
        {
            double sum = _encoderBias[k];
            var row = _encoder.AsSpan(k * _inputs, _inputs);
            for (int i = 0; i < _inputs; i++)
            {
                sum += row[i] * input[i];
            }

            _activations[k] = Math.Tanh(sum);
        }

        double squared = 0;
        for (int j = 0; j < _inputs; j++)
        {
            double sum = _decoderBias[j];
            var row = _decoder.AsSpan(j * _hidden, _hidden);
            for (int k = 0; k < _hidden; k++)
            {
                sum += row[k] * _activations[k];
            }

            _output[j] = sum;
            double error = sum - input[j];
            squared += error * error;
        }

        return squared / _inputs;
    }

    /// <summary>
    /// One SGD step on the input of the last <see cref="Reconstruct"/> call. Each output's error is clipped to
    /// ±<paramref name="errorClip"/> first (a Huber loss), so one odd window moves the weights a bounded step.
    /// </summary>
    public void Learn(ReadOnlySpan<double> input, double learningRate, double errorClip)
    {
        Array.Clear(_hiddenGradient);
        for (int j = 0; j < _inputs; j++)
        {
            double error = Math.Clamp(_output[j] - input[j], -errorClip, errorClip);
            var row = _decoder.AsSpan(j * _hidden, _hidden);
            for (int k = 0; k < _hidden; k++)
            {
                // The hidden gradient needs the decoder weight before this step changes it.
                _hiddenGradient[k] += row[k] * error;
                row[k] -= learningRate * error * _activations[k];
            }

            _decoderBias[j] -= learningRate * error;
        }

        for (int k = 0; k < _hidden; k++)
        {
            double gradient = _hiddenGradient[k] * (1 - (_activations[k] * _activations[k]));
            var row = _encoder.AsSpan(k * _inputs, _inputs);
            for (int i = 0; i < _inputs; i++)
            {
                row[i] -= learningRate * gradient * input[i];
            }

            _encoderBias[k] -= learningRate * gradient;
        }
    }
}
