using System.Diagnostics;
using AnalyticsHub.LoadRunner.Load;

namespace AnalyticsHub.LoadRunner.Tests.Load;

/// <summary>
/// The pacer reads the shared offered rate at every wait. Completion states are asserted where
/// the schedule makes them certain; times only with generous bounds (a busy 2-core machine).
/// </summary>
public class PacerTests
{
    [Fact]
    public void RateZero_NeverWaits()
    {
        var pacer = new Pacer(new OfferedRate(0), 1000, 0.5);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task RaisedRate_AppliesAtTheNextWait()
    {
        var rate = new OfferedRate(5); // 1 unit per batch, 1 loop: 5 batches/s, 200 ms apart
        var pacer = new Pacer(rate, 1, phase: 0);

        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully); // phase 0: the first batch goes at once
        var slow = pacer.WaitAsync(CancellationToken.None);
        Assert.False(slow.IsCompleted); // 200 ms after the first
        var watch = Stopwatch.StartNew();
        await slow;
        Assert.True(watch.ElapsedMilliseconds >= 100, $"waited {watch.ElapsedMilliseconds} ms at 5/s");

        // A ramp (or anything) raises the shared rate: the next interval is the new one, not 200 ms.
        // (A timer may fire a millisecond or two before the due time: let that pass first.)
        await Task.Delay(20);
        rate.PerSecond = 1e9;
        // Completed synchronously is the whole claim: a wall-clock bound on 100 calls would only measure how loaded the
        // machine is.
        for (var i = 0; i < 100; i++)
        {
            var wait = pacer.WaitAsync(CancellationToken.None);
            Assert.True(wait.IsCompletedSuccessfully, $"wait {i} at 1e9/s was not immediate");
        }
    }

    [Fact]
    public async Task LoweredRate_AppliesAtTheNextWait()
    {
        var rate = new OfferedRate(1e9);
        var pacer = new Pacer(rate, 1, phase: 0);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);

        rate.PerSecond = 4; // 250 ms apart
        var wait = pacer.WaitAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);
        var watch = Stopwatch.StartNew();
        await wait;
        Assert.True(watch.ElapsedMilliseconds >= 150, $"waited {watch.ElapsedMilliseconds} ms at 4/s");
    }

    [Fact]
    public async Task UnitsPerBatchTimesLoops_DividesTheRate()
    {
        // 1000 events/s offered, 100 events per batch × 2 loops: 5 batches/s for this loop (200 ms).
        var pacer = new Pacer(new OfferedRate(1000), 200, phase: 0);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(pacer.WaitAsync(CancellationToken.None).IsCompleted);

        // The same rate for a single loop of 1-event batches: 1 ms apart, so 20 ms later the next one is due at once
        // (measured by completion, not by a wall-clock bound a loaded machine can break).
        var fast = new Pacer(new OfferedRate(1000), 1, phase: 0);
        Assert.True(fast.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        await Task.Delay(20);
        Assert.True(fast.WaitAsync(CancellationToken.None).IsCompletedSuccessfully, "20 ms after a batch at 1000/s the next is due");
    }

    [Fact]
    public void Phase_DelaysTheFirstBatch()
    {
        var pacer = new Pacer(new OfferedRate(2), 1, phase: 0.5); // 500 ms apart; starts 250 ms in
        Assert.False(pacer.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void RateBackToZero_ThenPaced_StartsANewSchedule()
    {
        var rate = new OfferedRate(5);
        var pacer = new Pacer(rate, 1, phase: 0);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);

        rate.PerSecond = 0;
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);

        // Paced again: the first batch of the new schedule goes at once (phase 0), the next one waits.
        rate.PerSecond = 5;
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(pacer.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void FallenBehind_CatchesUpAtMost100msInABurst()
    {
        var pacer = new Pacer(new OfferedRate(100), 1, phase: 0); // 10 ms apart
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Thread.Sleep(600); // 60 batches behind

        var immediate = 0;
        while (immediate < 100 && pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully)
        {
            immediate++;
        }

        // 100 ms of backlog: about 11 batches at once (more only if this thread stalls), not 60.
        Assert.InRange(immediate, 10, 30);
    }

    [Fact]
    public async Task Cancellation_EndsAWait()
    {
        var pacer = new Pacer(new OfferedRate(0.1), 1, phase: 1); // first batch 10 s in
        using var cancel = new CancellationTokenSource();
        var wait = pacer.WaitAsync(cancel.Token);
        Assert.False(wait.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
    }

    [Fact]
    public void Constructor_RefusesANonPositiveShare()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pacer(new OfferedRate(1), 0, 0));
        Assert.Throws<ArgumentNullException>(() => new Pacer(null!, 1, 0));
    }
}
