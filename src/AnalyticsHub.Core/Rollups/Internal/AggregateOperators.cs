using System.Numerics;
using System.Runtime.Intrinsics;

namespace AnalyticsHub.Core.Rollups.Internal;

/// <summary>
/// A combining operator for <see cref="RollupKernels"/>, as a struct type argument so each kernel
/// is compiled once per operator with the operation inlined (Garnet's <c>IBinaryOperator</c>).
/// The three overloads must agree lane by lane, so a kernel's vector and scalar paths give the
/// same bits.
/// </summary>
internal interface IAggregateOperator<T>
    where T : unmanaged
{
    /// <summary>The result for no input, which leaves any operand unchanged: 0, +∞ for min, −∞ for max.</summary>
    static abstract T Identity { get; }

    static abstract T Invoke(T x, T y);

    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
}

/// <summary>Addition (wrapping for integers; IEEE for doubles, identity +0).</summary>
internal readonly struct AddOperator<T> : IAggregateOperator<T>
    where T : unmanaged, INumberBase<T>
{
    public static T Identity => T.Zero;

    public static T Invoke(T x, T y) => x + y;

    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x + y;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x + y;
}

/// <summary>
/// <see cref="Math.Min(double, double)"/>: NaN if either is NaN, −0 below +0. The vector
/// <c>Min</c> has the same semantics (IEEE 754:2019 minimum) since .NET 9.
/// </summary>
internal readonly struct MinOperator : IAggregateOperator<double>
{
    public static double Identity => double.PositiveInfinity;

    public static double Invoke(double x, double y) => Math.Min(x, y);

    public static Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => Vector128.Min(x, y);

    public static Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => Vector256.Min(x, y);
}

/// <summary><see cref="Math.Max(double, double)"/>: NaN if either is NaN, +0 above −0.</summary>
internal readonly struct MaxOperator : IAggregateOperator<double>
{
    public static double Identity => double.NegativeInfinity;

    public static double Invoke(double x, double y) => Math.Max(x, y);

    public static Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => Vector128.Max(x, y);

    public static Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => Vector256.Max(x, y);
}
