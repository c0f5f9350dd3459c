using System.Runtime.InteropServices;

namespace AnalyticsHub.Core.Events;

/// <summary>
/// A run of bytes inside an <see cref="EventBatch"/>'s arena: strings stay UTF-8 bytes where they
/// arrived, named by position, so decoding an event allocates nothing.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct ArenaSlice(int Offset, int Length)
{
    public bool IsEmpty => Length == 0;
}

/// <summary>One map entry (tags, dimensions, attribution, details ...) as two slices.</summary>
public readonly record struct KeyValueSlice(ArenaSlice Key, ArenaSlice Value);
