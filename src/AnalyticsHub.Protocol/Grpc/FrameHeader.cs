using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// The 5-byte prefix of every gRPC message.
/// <code>
///  0        1                               5
///  +--------+-------------------------------+----------------
///  | flags  | length (uint32, big-endian)   | message bytes...
///  +--------+-------------------------------+----------------
///  flags: 0 = not compressed, 1 = compressed with the call's grpc-encoding
/// </code>
/// </summary>
public readonly struct FrameHeader
{
    public FrameHeader(bool compressed, uint length)
    {
        Compressed = compressed;
        Length = length;
    }

    public bool Compressed { get; }

    public uint Length { get; }

    /// <summary>Reads a header from the start of <paramref name="buffer"/>, which may span segments.</summary>
    /// <returns>False when fewer than 5 bytes are buffered.</returns>
    /// <exception cref="RpcException">INTERNAL when the flags byte is neither 0 nor 1.</exception>
    [SkipLocalsInit] // the 5-byte stackalloc is fully written before it is read
    public static bool TryRead(in ReadOnlySequence<byte> buffer, out FrameHeader header)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= GrpcProtocol.FrameHeaderLength)
        {
            return TryRead(first, out header);
        }

        if (buffer.Length < GrpcProtocol.FrameHeaderLength)
        {
            header = default;
            return false;
        }

        Span<byte> copy = stackalloc byte[GrpcProtocol.FrameHeaderLength];
        buffer.Slice(0, GrpcProtocol.FrameHeaderLength).CopyTo(copy);
        return TryRead(copy, out header);
    }

    public static bool TryRead(ReadOnlySpan<byte> span, out FrameHeader header)
    {
        if (span.Length < GrpcProtocol.FrameHeaderLength)
        {
            header = default;
            return false;
        }

        var flags = span[0];
        if (flags > 1)
        {
            ThrowInvalidFlags(flags);
        }

        header = new FrameHeader(flags == 1, BinaryPrimitives.ReadUInt32BigEndian(span[1..]));
        return true;
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = Compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidFlags(byte flags) =>
        throw new RpcException(StatusCode.Internal, $"Invalid gRPC message flags 0x{flags:X2}: expected 0 or 1.");
}
