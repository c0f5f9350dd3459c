using System.Buffers;
using System.IO.Compression;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Internal;

namespace AnalyticsHub.Protocol.Compression;

/// <summary>Compresses and decompresses whole message bodies, with a size limit on the output.</summary>
public static class MessageCompression
{
    /// <summary>Decompresses <paramref name="compressed"/> into <paramref name="output"/> (cleared first).</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED past <paramref name="maxSize"/>; INTERNAL on corrupt input.</exception>
    public static void Decompress(ICompressionProvider provider, in ReadOnlySequence<byte> compressed, PooledBufferWriter output, int maxSize)
    {
        output.Clear();
        try
        {
            using var source = new ReadOnlySequenceStream(compressed);
            using var decompressor = provider.CreateDecompressionStream(source);
            while (true)
            {
                var span = output.GetSpan(16 * 1024);
                var read = decompressor.Read(span);
                if (read == 0)
                {
                    break;
                }

                output.Advance(read);
                if (output.WrittenCount > maxSize)
                {
                    throw new RpcException(
                        StatusCode.ResourceExhausted,
                        $"Received message exceeds the maximum configured message size after decompression ({maxSize} bytes).");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Failed to decompress message with '{provider.EncodingName}': {ex.Message}");
        }

        if (!provider.IsComplete(compressed, output.WrittenSpan))
        {
            throw new RpcException(StatusCode.Internal, $"Failed to decompress message with '{provider.EncodingName}': the data is truncated or its checksum does not match.");
        }
    }

    /// <summary>Compresses <paramref name="message"/> and appends it to <paramref name="output"/>.</summary>
    public static void Compress(ICompressionProvider provider, ReadOnlySpan<byte> message, PooledBufferWriter output, CompressionLevel level)
    {
        using var sink = new BufferWriterStream(output);
        using (var compressor = provider.CreateCompressionStream(sink, level))
        {
            compressor.Write(message);
        }
    }
}
