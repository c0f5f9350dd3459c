namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Reads a response body to its end keeping only its last bytes: query answers can be megabytes
/// (1,440 points × 50 series), but what the runner reads — <c>meta</c>, or an error — is at the
/// end. One buffer per client, reused for every answer; when it fills, the last
/// <see cref="Keep"/> bytes move to its front.
/// </summary>
internal sealed class TailBuffer(int capacity = 256 * 1024)
{
    /// <summary>Bytes kept from the end of a body: far more than a <c>meta</c> object or an error answer.</summary>
    public const int Keep = 16 * 1024;

    private readonly byte[] _buffer = new byte[Math.Max(capacity, 2 * Keep)];
    private int _length;

    /// <summary>Bytes of the last body read.</summary>
    public long Total { get; private set; }

    /// <summary>The end of the last body read (all of it when it fitted).</summary>
    public ReadOnlySpan<byte> Tail => _buffer.AsSpan(0, _length);

    public async Task ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _length = 0;
        Total = 0;
        while (true)
        {
            if (_length == _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _length - Keep, _buffer, 0, Keep);
                _length = Keep;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            _length += read;
            Total += read;
        }
    }
}
