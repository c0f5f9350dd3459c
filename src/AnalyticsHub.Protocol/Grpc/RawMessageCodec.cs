using System.Buffers;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>Messages that are already encoded: written as given, read as a copy.</summary>
public sealed class RawMessageCodec : IMessageCodec<ReadOnlyMemory<byte>>
{
    public static RawMessageCodec Instance { get; } = new();

    public ReadOnlyMemory<byte> Decode(in ReadOnlySequence<byte> payload) => payload.ToArray();

    public int GetSize(ReadOnlyMemory<byte> message) => message.Length;

    /// <summary>
    /// One <c>GetSpan(length)</c>, one copy: <c>IBufferWriter.Write</c> would copy in chunks of
    /// whatever span the writer offers (~4 KiB from a fresh PipeWriter), a segment each.
    /// </summary>
    public void Encode(ReadOnlyMemory<byte> message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (message.IsEmpty)
        {
            return;
        }

        message.Span.CopyTo(output.GetSpan(message.Length));
        output.Advance(message.Length);
    }
}
