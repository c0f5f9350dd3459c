using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AnalyticsHub.Core.Rollups.Internal;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// Columnar kernels of the rollup engine: element-wise combining of one column into another
/// (merging series into a group, sketches' bins into each other), re-bucketing a column into
/// wider windows (1-minute buckets into 5 m, 15 m, 1 h at query time), and reductions.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Vector256"/> when accelerated, else <see cref="Vector128"/>, else scalar; each
/// kernel is written once, generic over a struct operator, and specialised by the JIT.
/// </para>
/// <para>
/// Sums of doubles are deterministic: every path adds in one canonical order, so the result is
/// the same bits on any hardware (and equals the scalar path's, which the tests check). With
/// n ≥ 16, lane <c>j</c> (0-15) is the left-to-right sum of elements <c>j, j+16, j+32, …</c> of
/// the first <c>16·⌊n/16⌋</c>; lanes are combined as
/// <c>c_j = (s_j + s_{j+8}) + (s_{j+4} + s_{j+12})</c>, then <c>(c_0 + c_2) + (c_1 + c_3)</c>;
/// the remaining <c>n mod 16</c> elements are then added in order. Shorter inputs (5- and
/// 15-minute windows) are summed left to right. No identity is ever added, so the sum of
/// <c>[−0.0]</c> is −0.0; the sum of nothing is +0. Integer sums wrap on overflow (unchecked).
/// </para>
/// <para>
/// Min and max are <see cref="Math.Min(double, double)"/> and <see cref="Math.Max(double, double)"/>
/// element by element on every path: a NaN anywhere makes the result NaN, and −0 &lt; +0. Our
/// columns hold no NaN (an empty bucket's min is +∞ and max −∞, the identities here). The min of
/// nothing is +∞, the max −∞, the sum 0.
/// </para>
/// <para>
/// The vertical kernels write <c>into[i] = op(into[i], from[i])</c>; the two spans must have the
/// same length and must be the same memory or not overlap at all.
/// </para>
/// </remarks>
public static class RollupKernels
{
    /// <summary>Lanes of the canonical reduction order (four <see cref="Vector256{T}"/> of 8-byte elements).</summary>
    internal const int Lanes = 16;

    /// <summary><c>into[i] += from[i]</c> (wrapping).</summary>
    public static void Add(Span<ulong> into, ReadOnlySpan<ulong> from) => Combine<ulong, AddOperator<ulong>>(into, from);

    /// <summary><c>into[i] += from[i]</c>.</summary>
    public static void Add(Span<double> into, ReadOnlySpan<double> from) => Combine<double, AddOperator<double>>(into, from);

    /// <summary><c>into[i] = Math.Min(into[i], from[i])</c>.</summary>
    public static void Min(Span<double> into, ReadOnlySpan<double> from) => Combine<double, MinOperator>(into, from);

    /// <summary><c>into[i] = Math.Max(into[i], from[i])</c>.</summary>
    public static void Max(Span<double> into, ReadOnlySpan<double> from) => Combine<double, MaxOperator>(into, from);

    /// <summary>Windows of <paramref name="width"/> over <paramref name="sourceLength"/> elements: ⌈length / width⌉.</summary>
    public static int WindowCount(int sourceLength, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return (int)(((long)sourceLength + width - 1) / width);
    }

    /// <summary>
    /// <c>destination[j]</c> = sum of <c>source[j·width ..]</c>, <paramref name="width"/> elements
    /// (the last window may be partial). <paramref name="destination"/> holds exactly
    /// <see cref="WindowCount"/> elements.
    /// </summary>
    public static void SumWindows(ReadOnlySpan<double> source, int width, Span<double> destination) =>
        Windows<double, AddOperator<double>>(source, width, destination);

    /// <inheritdoc cref="SumWindows(ReadOnlySpan{double}, int, Span{double})"/>
    public static void SumWindows(ReadOnlySpan<ulong> source, int width, Span<ulong> destination) =>
        Windows<ulong, AddOperator<ulong>>(source, width, destination);

    /// <summary>Like <see cref="SumWindows(ReadOnlySpan{double}, int, Span{double})"/>, with the minimum of each window.</summary>
    public static void MinWindows(ReadOnlySpan<double> source, int width, Span<double> destination) =>
        Windows<double, MinOperator>(source, width, destination);

    /// <summary>Like <see cref="SumWindows(ReadOnlySpan{double}, int, Span{double})"/>, with the maximum of each window.</summary>
    public static void MaxWindows(ReadOnlySpan<double> source, int width, Span<double> destination) =>
        Windows<double, MaxOperator>(source, width, destination);

    /// <summary>Sum in the canonical order (see remarks); 0 when empty.</summary>
    public static double Sum(ReadOnlySpan<double> values) => Reduce<double, AddOperator<double>>(values);

    /// <summary>Sum, wrapping on overflow; 0 when empty.</summary>
    public static ulong Sum(ReadOnlySpan<ulong> values) => Reduce<ulong, AddOperator<ulong>>(values);

    /// <summary>Minimum (NaN if any is NaN); +∞ when empty.</summary>
    public static double Min(ReadOnlySpan<double> values) => Reduce<double, MinOperator>(values);

    /// <summary>Maximum (NaN if any is NaN); −∞ when empty.</summary>
    public static double Max(ReadOnlySpan<double> values) => Reduce<double, MaxOperator>(values);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Combine<T, TOp>(Span<T> into, ReadOnlySpan<T> from)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        if (into.Length != from.Length)
        {
            ThrowLengthMismatch();
        }

        if (Vector256.IsHardwareAccelerated && into.Length >= Vector256<T>.Count)
        {
            Combine256<T, TOp>(into, from);
        }
        else if (Vector128.IsHardwareAccelerated && into.Length >= Vector128<T>.Count)
        {
            Combine128<T, TOp>(into, from);
        }
        else
        {
            CombineScalar<T, TOp>(into, from);
        }
    }

    internal static void CombineScalar<T, TOp>(Span<T> into, ReadOnlySpan<T> from)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        Debug.Assert(into.Length == from.Length);
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = TOp.Invoke(into[i], from[i]);
        }
    }

    /// <remarks>
    /// The last, possibly overlapping vector is computed from the original values before the
    /// loop and stored after it, so a length that is not a multiple of the vector needs no scalar
    /// tail (lanes stored twice get the same value both times).
    /// </remarks>
    internal static void Combine256<T, TOp>(Span<T> into, ReadOnlySpan<T> from)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        Debug.Assert(into.Length == from.Length);
        nuint step = (nuint)Vector256<T>.Count;
        nuint length = (nuint)into.Length;
        if (length < step)
        {
            CombineScalar<T, TOp>(into, from);
            return;
        }

        ref T target = ref MemoryMarshal.GetReference(into);
        ref T source = ref MemoryMarshal.GetReference(from);
        nuint lastAt = length - step;
        var last = TOp.Invoke(Vector256.LoadUnsafe(ref target, lastAt), Vector256.LoadUnsafe(ref source, lastAt));

        nuint i = 0;
        for (; i + (2 * step) <= length; i += 2 * step)
        {
            var first = TOp.Invoke(Vector256.LoadUnsafe(ref target, i), Vector256.LoadUnsafe(ref source, i));
            var second = TOp.Invoke(Vector256.LoadUnsafe(ref target, i + step), Vector256.LoadUnsafe(ref source, i + step));
            first.StoreUnsafe(ref target, i);
            second.StoreUnsafe(ref target, i + step);
        }

        if (i + step <= length)
        {
            TOp.Invoke(Vector256.LoadUnsafe(ref target, i), Vector256.LoadUnsafe(ref source, i)).StoreUnsafe(ref target, i);
        }

        last.StoreUnsafe(ref target, lastAt);
    }

    /// <inheritdoc cref="Combine256"/>
    internal static void Combine128<T, TOp>(Span<T> into, ReadOnlySpan<T> from)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        Debug.Assert(into.Length == from.Length);
        nuint step = (nuint)Vector128<T>.Count;
        nuint length = (nuint)into.Length;
        if (length < step)
        {
            CombineScalar<T, TOp>(into, from);
            return;
        }

        ref T target = ref MemoryMarshal.GetReference(into);
        ref T source = ref MemoryMarshal.GetReference(from);
        nuint lastAt = length - step;
        var last = TOp.Invoke(Vector128.LoadUnsafe(ref target, lastAt), Vector128.LoadUnsafe(ref source, lastAt));

        nuint i = 0;
        for (; i + (2 * step) <= length; i += 2 * step)
        {
            var first = TOp.Invoke(Vector128.LoadUnsafe(ref target, i), Vector128.LoadUnsafe(ref source, i));
            var second = TOp.Invoke(Vector128.LoadUnsafe(ref target, i + step), Vector128.LoadUnsafe(ref source, i + step));
            first.StoreUnsafe(ref target, i);
            second.StoreUnsafe(ref target, i + step);
        }

        if (i + step <= length)
        {
            TOp.Invoke(Vector128.LoadUnsafe(ref target, i), Vector128.LoadUnsafe(ref source, i)).StoreUnsafe(ref target, i);
        }

        last.StoreUnsafe(ref target, lastAt);
    }

    internal static T Reduce<T, TOp>(ReadOnlySpan<T> values)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        if (Vector256.IsHardwareAccelerated)
        {
            return Reduce256<T, TOp>(values);
        }

        return Vector128.IsHardwareAccelerated ? Reduce128<T, TOp>(values) : ReduceScalar<T, TOp>(values);
    }

    /// <summary>The canonical order spelled out with sixteen scalar lanes.</summary>
    internal static T ReduceScalar<T, TOp>(ReadOnlySpan<T> values)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        if (values.Length < Lanes)
        {
            return Sequential<T, TOp>(values);
        }

        T s0 = values[0], s1 = values[1], s2 = values[2], s3 = values[3], s4 = values[4], s5 = values[5], s6 = values[6], s7 = values[7];
        T s8 = values[8], s9 = values[9], s10 = values[10], s11 = values[11], s12 = values[12], s13 = values[13], s14 = values[14], s15 = values[15];
        int i = Lanes;
        for (; i <= values.Length - Lanes; i += Lanes)
        {
            var block = values.Slice(i, Lanes);
            s0 = TOp.Invoke(s0, block[0]);
            s1 = TOp.Invoke(s1, block[1]);
            s2 = TOp.Invoke(s2, block[2]);
            s3 = TOp.Invoke(s3, block[3]);
            s4 = TOp.Invoke(s4, block[4]);
            s5 = TOp.Invoke(s5, block[5]);
            s6 = TOp.Invoke(s6, block[6]);
            s7 = TOp.Invoke(s7, block[7]);
            s8 = TOp.Invoke(s8, block[8]);
            s9 = TOp.Invoke(s9, block[9]);
            s10 = TOp.Invoke(s10, block[10]);
            s11 = TOp.Invoke(s11, block[11]);
            s12 = TOp.Invoke(s12, block[12]);
            s13 = TOp.Invoke(s13, block[13]);
            s14 = TOp.Invoke(s14, block[14]);
            s15 = TOp.Invoke(s15, block[15]);
        }

        T c0 = TOp.Invoke(TOp.Invoke(s0, s8), TOp.Invoke(s4, s12));
        T c1 = TOp.Invoke(TOp.Invoke(s1, s9), TOp.Invoke(s5, s13));
        T c2 = TOp.Invoke(TOp.Invoke(s2, s10), TOp.Invoke(s6, s14));
        T c3 = TOp.Invoke(TOp.Invoke(s3, s11), TOp.Invoke(s7, s15));
        T result = TOp.Invoke(TOp.Invoke(c0, c2), TOp.Invoke(c1, c3));
        for (; i < values.Length; i++)
        {
            result = TOp.Invoke(result, values[i]);
        }

        return result;
    }

    /// <summary>The canonical order with four <see cref="Vector256{T}"/> accumulators (8-byte elements only).</summary>
    internal static T Reduce256<T, TOp>(ReadOnlySpan<T> values)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        Debug.Assert(Vector256<T>.Count * 4 == Lanes);
        if (values.Length < Lanes)
        {
            return Sequential<T, TOp>(values);
        }

        ref T start = ref MemoryMarshal.GetReference(values);
        nuint length = (nuint)values.Length;
        var a0 = Vector256.LoadUnsafe(ref start, 0);
        var a1 = Vector256.LoadUnsafe(ref start, 4);
        var a2 = Vector256.LoadUnsafe(ref start, 8);
        var a3 = Vector256.LoadUnsafe(ref start, 12);
        nuint i = Lanes;
        for (; i + Lanes <= length; i += Lanes)
        {
            a0 = TOp.Invoke(a0, Vector256.LoadUnsafe(ref start, i));
            a1 = TOp.Invoke(a1, Vector256.LoadUnsafe(ref start, i + 4));
            a2 = TOp.Invoke(a2, Vector256.LoadUnsafe(ref start, i + 8));
            a3 = TOp.Invoke(a3, Vector256.LoadUnsafe(ref start, i + 12));
        }

        var c = TOp.Invoke(TOp.Invoke(a0, a2), TOp.Invoke(a1, a3)); // lane j: c_j
        var u = TOp.Invoke(c.GetLower(), c.GetUpper());             // (c0 ⊕ c2, c1 ⊕ c3)
        T result = TOp.Invoke(u.GetElement(0), u.GetElement(1));
        for (; i < length; i++)
        {
            result = TOp.Invoke(result, Unsafe.Add(ref start, i));
        }

        return result;
    }

    /// <summary>The canonical order with eight <see cref="Vector128{T}"/> accumulators (8-byte elements only).</summary>
    internal static T Reduce128<T, TOp>(ReadOnlySpan<T> values)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        Debug.Assert(Vector128<T>.Count * 8 == Lanes);
        if (values.Length < Lanes)
        {
            return Sequential<T, TOp>(values);
        }

        // p_m holds lanes 2m and 2m+1.
        ref T start = ref MemoryMarshal.GetReference(values);
        nuint length = (nuint)values.Length;
        var p0 = Vector128.LoadUnsafe(ref start, 0);
        var p1 = Vector128.LoadUnsafe(ref start, 2);
        var p2 = Vector128.LoadUnsafe(ref start, 4);
        var p3 = Vector128.LoadUnsafe(ref start, 6);
        var p4 = Vector128.LoadUnsafe(ref start, 8);
        var p5 = Vector128.LoadUnsafe(ref start, 10);
        var p6 = Vector128.LoadUnsafe(ref start, 12);
        var p7 = Vector128.LoadUnsafe(ref start, 14);
        nuint i = Lanes;
        for (; i + Lanes <= length; i += Lanes)
        {
            p0 = TOp.Invoke(p0, Vector128.LoadUnsafe(ref start, i));
            p1 = TOp.Invoke(p1, Vector128.LoadUnsafe(ref start, i + 2));
            p2 = TOp.Invoke(p2, Vector128.LoadUnsafe(ref start, i + 4));
            p3 = TOp.Invoke(p3, Vector128.LoadUnsafe(ref start, i + 6));
            p4 = TOp.Invoke(p4, Vector128.LoadUnsafe(ref start, i + 8));
            p5 = TOp.Invoke(p5, Vector128.LoadUnsafe(ref start, i + 10));
            p6 = TOp.Invoke(p6, Vector128.LoadUnsafe(ref start, i + 12));
            p7 = TOp.Invoke(p7, Vector128.LoadUnsafe(ref start, i + 14));
        }

        var c01 = TOp.Invoke(TOp.Invoke(p0, p4), TOp.Invoke(p2, p6)); // (c0, c1)
        var c23 = TOp.Invoke(TOp.Invoke(p1, p5), TOp.Invoke(p3, p7)); // (c2, c3)
        var u = TOp.Invoke(c01, c23);
        T result = TOp.Invoke(u.GetElement(0), u.GetElement(1));
        for (; i < length; i++)
        {
            result = TOp.Invoke(result, Unsafe.Add(ref start, i));
        }

        return result;
    }

    /// <summary>Left to right from the first element (inputs shorter than <see cref="Lanes"/>); the identity when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sequential<T, TOp>(ReadOnlySpan<T> values)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        if (values.IsEmpty)
        {
            return TOp.Identity;
        }

        T result = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            result = TOp.Invoke(result, values[i]);
        }

        return result;
    }

    /// <remarks>
    /// One canonical reduction per window. Windows narrower than <see cref="Lanes"/> (5 and 15
    /// minutes) are summed left to right in one tight loop: there is no vector work in the
    /// canonical order for them, and the chains of consecutive windows are independent, so the
    /// processor overlaps them.
    /// </remarks>
    internal static void Windows<T, TOp>(ReadOnlySpan<T> source, int width, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        int count = WindowCount(source.Length, width);
        if (destination.Length != count)
        {
            ThrowWindowDestination(count);
        }

        if (width < Lanes)
        {
            NarrowWindows<T, TOp>(source, width, destination);
            return;
        }

        int start = 0;
        for (int w = 0; w < count - 1; w++, start += width)
        {
            destination[w] = Reduce<T, TOp>(source.Slice(start, width));
        }

        if (count > 0)
        {
            destination[count - 1] = Reduce<T, TOp>(source[start..]);
        }
    }

    /// <summary><see cref="Windows"/> for widths below <see cref="Lanes"/>; the caller checked the destination's length.</summary>
    private static void NarrowWindows<T, TOp>(ReadOnlySpan<T> source, int width, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)source.Length;
        nuint step = (nuint)width;
        nuint start = 0;
        nuint w = 0;
        for (; start + step <= length; start += step, w++)
        {
            T result = Unsafe.Add(ref from, start);
            for (nuint k = 1; k < step; k++)
            {
                result = TOp.Invoke(result, Unsafe.Add(ref from, start + k));
            }

            Unsafe.Add(ref to, w) = result;
        }

        if (start < length)
        {
            Unsafe.Add(ref to, w) = Sequential<T, TOp>(source[(int)start..]);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch() =>
        throw new ArgumentException("The two columns must have the same length.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWindowDestination(int count) =>
        throw new ArgumentException($"The destination must hold exactly {count} windows.", "destination");
}
