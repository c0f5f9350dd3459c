using System.IO.Pipelines;

namespace AnalyticsHub.Benchmarks.Mocks;

/// <summary>
/// A <see cref="PipeWriter"/> that drops what is written (after Kestrel's perf/Microbenchmarks
/// <c>NullPipeWriter</c>). <see cref="GetSpan"/> hands out the same recycled buffer, at least
/// <c>blockSize</c> bytes and never less than asked for, like a pipe over 4 KiB pool blocks, so
/// the code under test sees realistic span sizes and the writer itself costs (almost) nothing.
/// </summary>
public sealed class NullPipeWriter : PipeWriter
{
    private readonly int _blockSize;
    private byte[] _buffer;

    public NullPipeWriter(int blockSize = 4096)
    {
        _blockSize = blockSize;
        _buffer = new byte[blockSize];
    }

    /// <summary>Bytes advanced since construction.</summary>
    public long BytesWritten { get; private set; }

    public override void Advance(int bytes) => BytesWritten += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => Rent(sizeHint).AsMemory(0, Math.Max(sizeHint, _blockSize));

    public override Span<byte> GetSpan(int sizeHint = 0) => Rent(sizeHint).AsSpan(0, Math.Max(sizeHint, _blockSize));

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        new(new FlushResult(isCanceled: false, isCompleted: false));

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    private byte[] Rent(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
        {
            // Grows once per larger size; steady state allocates nothing.
            _buffer = new byte[sizeHint];
        }

        return _buffer;
    }
}
