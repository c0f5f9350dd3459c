using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Storage.Tests.Wal;

/// <summary>
/// The child process of the crash test: four tasks append records forever and print
/// <c>ack ADDRESS SEQUENCE .</c> for each one only after it is durable, until killed.
/// </summary>
internal static class CrashWriter
{
    public const string Command = "crash-writer";

    public static async Task RunAsync(string directory)
    {
        await using WriteAheadLog wal = WriteAheadLog.Open(WalTestKit.SmallOptions(directory));
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var outputLock = new Lock();
        long nextSequence = 0;
        Console.Error.WriteLine("ready");
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                long sequence = Interlocked.Increment(ref nextSequence);
                long address = wal.Append(WalTestKit.MakeRecord(sequence));
                await wal.WaitForDurableAsync(address);
                lock (outputLock)
                {
                    output.Write($"ack {address} {sequence} .\n");
                    output.Flush();
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
    }
}
