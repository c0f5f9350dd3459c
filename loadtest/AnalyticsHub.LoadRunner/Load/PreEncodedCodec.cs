using System.Buffers;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Pass-through codec for pre-encoded batches: one <c>GetSpan(length)</c>, one copy, one
/// <c>Advance</c>. (<see cref="RawMessageCodec"/> writes through <c>IBufferWriter.Write</c>, which
/// copies in chunks of whatever span the writer offers — about 4 KiB from a fresh
/// <c>PipeWriter</c>, so a 150 KB batch took ~38 pipe segments and their buffers per unary call.)
/// Decoding copies, like <see cref="RawMessageCodec"/>; the load runner decodes acks with Google.Protobuf.
/// </summary>
internal sealed class PreEncodedCodec : IMessageCodec<ReadOnlyMemory<byte>>
{
    public static PreEncodedCodec Instance { get; } = new();

    public ReadOnlyMemory<byte> Decode(in ReadOnlySequence<byte> payload) => payload.ToArray();

    public int GetSize(ReadOnlyMemory<byte> message) => message.Length;

    public void Encode(ReadOnlyMemory<byte> message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = message.Length;
        if (length == 0)
        {
            return;
        }

        message.Span.CopyTo(output.GetSpan(length));
        output.Advance(length);
    }
}
