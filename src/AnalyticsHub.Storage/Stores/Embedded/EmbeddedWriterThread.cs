using System.Collections.Concurrent;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// The one thread that uses the store's writer connection. SQLite calls are synchronous and a
/// 10k-row write holds the caller for tens of milliseconds; on the hub's small boxes (2 cores)
/// running that on a pool thread, back to back while the drainer catches up, takes one of the
/// two workers away from Kestrel and the thread pool's hill climbing answers with extra threads.
/// A dedicated thread keeps the pool free, keeps every SQLite call on one thread, and queues
/// work in order, so a retention chunk slots in between two writes instead of beside them.
/// </summary>
/// <remarks>One closure and one task per call: per batch, not per row.</remarks>
internal sealed class EmbeddedWriterThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public EmbeddedWriterThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the thread after everything queued before it.
    /// A token cancelled before the work starts cancels it; once started it runs to completion
    /// (a write is bounded by its batch, and stopping a transaction halfway gains nothing).</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    completion.TrySetCanceled(cancellationToken);
                    return;
                }
                try
                {
                    completion.TrySetResult(work());
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                }
            }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(EmbeddedEventStore));
        }
        return completion.Task;
    }

    /// <summary>Lets queued work finish, then ends the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        _work.Dispose();
    }

    private void Run()
    {
        foreach (Action work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
