namespace AnalyticsHub.LoadRunner.Load;

/// <summary>One producer of load: sends until <see cref="RunContext.StopSending"/>, then drains.</summary>
internal interface ISender
{
    Task RunAsync();
}
