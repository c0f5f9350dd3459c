namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>
/// Event times spread uniformly over a past window (<c>--time-spread</c>): each call draws
/// <c>now − U[0, window)</c> from a xorshift64* generator, so a sender's batches cover the whole
/// window instead of "now" and the hub's rollups get history to answer range queries from.
/// Allocation-free; one instance per sender (not thread-safe).
/// </summary>
public sealed class TimeSpread
{
    private readonly ulong _windowNanos;
    private ulong _state;

    /// <param name="windowNanos">Width of the window; must be above 0.</param>
    /// <param name="seed">Any value; the generator's state is derived from it (never 0).</param>
    public TimeSpread(ulong windowNanos, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windowNanos);
        _windowNanos = windowNanos;

        // SplitMix64 of the seed: distinct, non-zero states for neighbouring seeds.
        var z = seed + 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        z ^= z >> 31;
        _state = z == 0 ? 0x2545_F491_4F6C_DD1DUL : z;
    }

    public ulong WindowNanos => _windowNanos;

    /// <summary>A time in (<paramref name="nowUnixNano"/> − window, <paramref name="nowUnixNano"/>].</summary>
    public ulong Sample(ulong nowUnixNano)
    {
        // xorshift64* (Vigna): one multiply, good enough for spreading timestamps.
        var x = _state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        var random = x * 0x2545_F491_4F6C_DD1DUL;

        // Lemire's multiply-shift: a uniform offset in [0, window) without division.
        var offset = Math.BigMul(random, _windowNanos, out _);
        return nowUnixNano - offset;
    }
}
