namespace AnalyticsHub.Storage.Wal;

/// <summary>One record read from the log. <see cref="Data"/> lives in the reader's buffer and is
/// valid until the next <see cref="WalReader.ReadBatchAsync"/> or the reader's disposal.</summary>
public readonly record struct WalRecord(long Address, long NextAddress, ReadOnlyMemory<byte> Data);
