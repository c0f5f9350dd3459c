using System.Buffers.Binary;
using Google.Protobuf;

namespace AnalyticsHub.Testing;

/// <summary>
/// gRPC length-prefixed messages built by hand (1 flags byte, 4-byte big-endian length), so
/// tests state the expected bytes instead of producing them with the code under test.
/// </summary>
public static class GrpcFrames
{
    public static byte[] Frame(ReadOnlySpan<byte> payload, bool compressed = false) => Frame(payload, compressed ? (byte)1 : (byte)0);

    /// <summary>A frame with any flags byte, valid or not.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flags)
    {
        var frame = new byte[5 + payload.Length];
        Header((uint)payload.Length, flags).CopyTo(frame, 0);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    /// <summary>Just a 5-byte prefix claiming <paramref name="length"/> bytes.</summary>
    public static byte[] Header(uint length, byte flags = 0)
    {
        var header = new byte[5];
        header[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), length);
        return header;
    }
}
