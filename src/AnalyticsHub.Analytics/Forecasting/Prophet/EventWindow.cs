namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>A holiday or event as a step regressor: 1 on the indices [<see cref="Start"/>,
/// <see cref="Start"/> + <see cref="Length"/>), 0 elsewhere. Indices count from the first point of the history and
/// may run past its end into the horizon (a known future event). Each window gets one coefficient.</summary>
public readonly record struct EventWindow
{
    public EventWindow(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Start = start;
        Length = length;
    }

    public int Start { get; }

    public int Length { get; }

    public bool Contains(int index) => index >= Start && index - Start < Length;
}
