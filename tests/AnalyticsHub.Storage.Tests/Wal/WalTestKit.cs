using System.Buffers.Binary;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Storage.Tests.Wal;

internal static class WalTestKit
{
    /// <summary>Small pages and segments so tests cross page and segment boundaries.</summary>
    public static WalOptions SmallOptions(string directory) => new()
    {
        Directory = directory,
        PageSizeBits = 14,
        MemorySizeBits = 17,
        SegmentSizeBits = 16,
    };

    /// <summary>A record whose bytes are a function of <paramref name="sequence"/>: 8-byte sequence,
    /// then a pattern of variable length (0–200 bytes).</summary>
    public static byte[] MakeRecord(long sequence)
    {
        var record = new byte[8 + (int)(sequence * 37 % 201)];
        BinaryPrimitives.WriteInt64LittleEndian(record, sequence);
        for (int i = 8; i < record.Length; i++)
        {
            record[i] = (byte)(sequence * 31 + i);
        }
        return record;
    }

    public static long CheckRecord(ReadOnlySpan<byte> data)
    {
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(data);
        Assert.True(data.SequenceEqual(MakeRecord(sequence)), $"record {sequence} is damaged");
        return sequence;
    }

    /// <summary>Reads every committed record with a throwaway reader (removed afterwards).</summary>
    public static async Task<List<(long Address, byte[] Data)>> ReadAllAsync(WriteAheadLog wal, string readerName = "verify")
    {
        var records = new List<(long, byte[])>();
        using (WalReader reader = wal.OpenReader(readerName))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            long end = wal.CommittedUntilAddress;
            long position = reader.CheckpointAddress;
            while (position < end)
            {
                WalBatch batch = await reader.ReadBatchAsync(1000, timeout.Token);
                for (int i = 0; i < batch.Count; i++)
                {
                    records.Add((batch[i].Address, batch[i].Data.ToArray()));
                }
                position = batch.NextAddress;
            }
        }
        wal.RemoveReader(readerName);
        return records;
    }
}
