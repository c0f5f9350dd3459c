using System.Buffers.Binary;
using System.IO.Compression;

namespace AnalyticsHub.Protocol.Tests.Support;

/// <summary>
/// Builds and parses gRPC length-prefixed messages independently of the code under test
/// (the expected bytes are spelled out here, not produced by <c>FrameHeader</c>).
/// </summary>
public static class Frames
{
    public static byte[] Frame(byte[] payload, bool compressed = false) => Frame(payload, compressed ? (byte)1 : (byte)0);

    public static byte[] Frame(byte[] payload, byte flags)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Just a 5-byte header claiming <paramref name="length"/> bytes.</summary>
    public static byte[] Header(uint length, byte flags = 0)
    {
        var header = new byte[5];
        header[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), length);
        return header;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Splits a complete body into (compressed, payload) messages; throws on a partial one.</summary>
    public static List<(bool Compressed, byte[] Payload)> Parse(byte[] body)
    {
        var messages = new List<(bool, byte[])>();
        var offset = 0;
        while (offset < body.Length)
        {
            if (body.Length - offset < 5)
            {
                throw new InvalidDataException($"Partial message header at offset {offset}.");
            }

            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            if (body.Length - offset - 5 < length)
            {
                throw new InvalidDataException($"Partial message body at offset {offset}.");
            }

            messages.Add((body[offset] == 1, body.AsSpan(offset + 5, length).ToArray()));
            offset += 5 + length;
        }

        return messages;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static byte[] Unzlib(byte[] data)
    {
        using var input = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Deterministic incompressible-looking bytes.</summary>
    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
