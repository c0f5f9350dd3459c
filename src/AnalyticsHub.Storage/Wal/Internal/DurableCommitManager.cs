using System.Buffers.Binary;
using System.Globalization;
using AnalyticsHub.Core.Validation;
using FASTER.core;

namespace AnalyticsHub.Storage.Wal.Internal;

/// <summary>
/// Where FasterLog keeps its commit records (which part of the log is durable), written so
/// that a failed write can never pass for a commit. FASTER's own manager ignores the error
/// code of its metadata write and then deletes the previous commit, and its recovery swallows
/// exceptions and starts an empty log: on a full disk the hub acknowledged events whose commit
/// never reached the disk, then reopened an empty WAL. Here each commit is a new file, written
/// to a temporary name, fsync'd, renamed and the directory fsync'd; a failure is remembered
/// (never thrown into FASTER's completion threads) and the log treats everything after the
/// last good commit as not durable; older commits are removed only once a newer one is on disk.
/// <code>
///  0        8             16             24             32            36            40
///  +--------+-------------+--------------+--------------+-------------+-------------+----------+
///  | magic  | commit num  | begin addr   | until addr   | length (i32)| ~length     | metadata | + FNV-1a 64 of all before
///  +--------+-------------+--------------+--------------+-------------+-------------+----------+
/// </code>
/// </summary>
internal sealed class DurableCommitManager : ILogCommitManager
{
    private const ulong Magic = 0x31544D434C415748; // "HWALCMT1"
    private const int HeaderSize = 40;
    private const string Prefix = "commit.";
    private const string TemporarySuffix = ".tmp";
    private const string DamagedSuffix = ".damaged";

    private readonly string _directory;
    private readonly Lock _lock = new();
    private long _durableUntil;
    private long _previousCommit = -1;
    private long _beforePrevious = -1;
    private bool _sweptAtStart;
    private Exception? _failure;

    public DurableCommitManager(string directory)
    {
        _directory = directory;
        foreach (string path in Directory.EnumerateFiles(directory, Prefix + "*" + TemporarySuffix))
        {
            File.Delete(path); // an interrupted write: the commit before it is still whole
        }
    }

    /// <summary>Until address of the newest commit known to be on disk (written here or recovered).</summary>
    public long DurableUntilAddress => Volatile.Read(ref _durableUntil);

    /// <summary>The first failed commit write; after it, no further commit is written.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>What the directory held before the log opened, to check FASTER's recovery against.</summary>
    public CommitInventory Inspect()
    {
        int valid = 0, damaged = 0;
        long newestUntil = 0, newestNum = -1;
        foreach (long num in ListCommits())
        {
            if (TryRead(num, out var record))
            {
                valid++;
                if (num > newestNum)
                {
                    newestNum = num;
                    newestUntil = record.UntilAddress;
                }
            }
            else
            {
                damaged++;
            }
        }
        // Anything else here (FASTER's own commit layout, a log-commits/ folder) is not ours to trust.
        foreach (string entry in Directory.EnumerateFileSystemEntries(_directory))
        {
            string name = Path.GetFileName(entry);
            bool ours = name.StartsWith(Prefix, StringComparison.Ordinal)
                && (name.EndsWith(DamagedSuffix, StringComparison.Ordinal)
                    || long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _));
            if (!ours)
            {
                damaged++;
            }
        }
        return new CommitInventory(valid, damaged, newestNum, newestUntil);
    }

    public void Commit(long beginAddress, long untilAddress, byte[] commitMetadata, long commitNum, bool forceWriteMetadata)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                return;
            }
            try
            {
                Write(commitNum, beginAddress, untilAddress, commitMetadata);
                if (untilAddress > _durableUntil)
                {
                    Volatile.Write(ref _durableUntil, untilAddress);
                }
                // Keep the previous commit as a fallback until this one is durable; older ones go. Only the
                // first commit lists the directory (what an earlier process left); after it, one delete.
                if (!_sweptAtStart)
                {
                    foreach (long older in ListCommits())
                    {
                        if (older < commitNum && older != _previousCommit)
                        {
                            File.Delete(PathOf(older));
                        }
                    }
                    _sweptAtStart = true;
                }
                else if (_beforePrevious >= 0 && _beforePrevious < commitNum)
                {
                    File.Delete(PathOf(_beforePrevious));
                }
                _beforePrevious = _previousCommit;
                _previousCommit = commitNum;
            }
            catch (Exception e)
            {
                // Thrown here it would escape on FASTER's I/O completion thread; the log checks Failure after each commit.
                Volatile.Write(ref _failure, e);
            }
        }
    }

    public byte[]? GetCommitMetadata(long commitNum) => TryRead(commitNum, out var record) ? record.Metadata : null;

    public IEnumerable<long> ListCommits()
    {
        var commits = new List<long>();
        foreach (string path in Directory.EnumerateFiles(_directory, Prefix + "*"))
        {
            string suffix = Path.GetFileName(path)[Prefix.Length..];
            if (long.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out long num))
            {
                commits.Add(num);
            }
        }
        commits.Sort((a, b) => b.CompareTo(a));
        return commits;
    }

    public void RemoveCommit(long commitNum) => File.Delete(PathOf(commitNum));

    public void RemoveAllCommits()
    {
        foreach (long num in ListCommits())
        {
            File.Delete(PathOf(num));
        }
    }

    public void OnRecovery(long commitNum)
    {
        lock (_lock)
        {
            if (TryRead(commitNum, out var record))
            {
                Volatile.Write(ref _durableUntil, record.UntilAddress);
            }
            _previousCommit = commitNum;
            foreach (long num in ListCommits())
            {
                if (num > commitNum)
                {
                    // Damaged or unused newer files: keep them for inspection, out of the way of new commits.
                    File.Move(PathOf(num), PathOf(num) + DamagedSuffix, overwrite: true);
                }
            }
        }
    }

    /// <summary>Sets the durable address after a recovery FASTER did without calling <see cref="OnRecovery"/>.</summary>
    public void SetRecovered(long untilAddress)
    {
        lock (_lock)
        {
            if (untilAddress > _durableUntil)
            {
                Volatile.Write(ref _durableUntil, untilAddress);
            }
        }
    }

    public void Dispose()
    {
    }

    private string PathOf(long commitNum) => Path.Combine(_directory, Prefix + commitNum.ToString(CultureInfo.InvariantCulture));

    private void Write(long commitNum, long beginAddress, long untilAddress, byte[] metadata)
    {
        var buffer = new byte[HeaderSize + metadata.Length + sizeof(ulong)];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], commitNum);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], beginAddress);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], untilAddress);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], metadata.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[36..], ~metadata.Length);
        metadata.CopyTo(span[HeaderSize..]);
        int bodyLength = HeaderSize + metadata.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(span[bodyLength..], Fnv1a64.Hash(span[..bodyLength]));

        string path = PathOf(commitNum);
        string temporary = path + TemporarySuffix;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(buffer);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        CheckpointFile.FsyncDirectory(_directory);
    }

    private bool TryRead(long commitNum, out CommitRecord record)
    {
        record = default;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(commitNum));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var span = bytes.AsSpan();
        if (span.Length < HeaderSize + sizeof(ulong) || BinaryPrimitives.ReadUInt64LittleEndian(span) != Magic)
        {
            return false;
        }
        int length = BinaryPrimitives.ReadInt32LittleEndian(span[32..]);
        if (length < 0 || BinaryPrimitives.ReadInt32LittleEndian(span[36..]) != ~length || span.Length != HeaderSize + length + sizeof(ulong))
        {
            return false;
        }
        int bodyLength = HeaderSize + length;
        if (BinaryPrimitives.ReadUInt64LittleEndian(span[bodyLength..]) != Fnv1a64.Hash(span[..bodyLength])
            || BinaryPrimitives.ReadInt64LittleEndian(span[8..]) != commitNum)
        {
            return false;
        }
        record = new CommitRecord(BinaryPrimitives.ReadInt64LittleEndian(span[24..]), span.Slice(HeaderSize, length).ToArray());
        return true;
    }

    private readonly record struct CommitRecord(long UntilAddress, byte[] Metadata);
}

/// <summary>The commit files found before opening: how many are whole, how many damaged, and the newest whole one.</summary>
internal readonly record struct CommitInventory(int Valid, int Damaged, long NewestCommit, long NewestUntilAddress);
