using FASTER.core;

namespace AnalyticsHub.Storage.Wal;

/// <summary>Visits one committed record; the span is valid only during the call.</summary>
public delegate void WalRecordVisitor(ReadOnlySpan<byte> record, long address);

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Visits every committed record from <see cref="BeginAddress"/> to the committed tail as of
    /// the call, in order, on the calling thread (for rebuilding in-memory state at startup).
    /// Unlike a <see cref="WalReader"/> it keeps no checkpoint and does not wait for more.
    /// </summary>
    /// <returns>The number of records visited.</returns>
    public long ScanCommitted(WalRecordVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        ThrowIfFaulted();
        long until = Volatile.Read(ref _durableUntil);
        using var iterator = _log.Scan(_log.BeginAddress, until);
        var consumer = new VisitingConsumer(visitor);
        long count = 0;
        while (iterator.TryConsumeNext(consumer))
        {
            count++;
        }
        return count;
    }

    /// <summary>
    /// Reads the committed record at <paramref name="address"/> (a copy), or null when no record
    /// starts there or it was truncated. For rare lookups (a store refused an event and the
    /// drainer dead-letters its original bytes), not for streaming.
    /// </summary>
    public async ValueTask<byte[]?> ReadRecordAsync(long address, CancellationToken cancellationToken = default)
    {
        ThrowIfFaulted();
        if (address < _log.BeginAddress || address >= Volatile.Read(ref _durableUntil))
        {
            return null;
        }
        var (bytes, length) = await _log.ReadAsync(address, 0, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : bytes.Length == length ? bytes : bytes.AsSpan(0, length).ToArray();
    }

    private readonly struct VisitingConsumer(WalRecordVisitor visitor) : ILogEntryConsumer
    {
        public void Consume(ReadOnlySpan<byte> entry, long currentAddress, long nextAddress) => visitor(entry, currentAddress);
    }
}
