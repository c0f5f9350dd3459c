using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Internal;
using AnalyticsHub.Protocol.Json;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Json;

/// <summary>
/// Runs the transcoder over every segment layout (one buffer, 1-byte segments, random and empty
/// segments) and checks all layouts agree byte for byte, then parses the output with Google.Protobuf
/// (the reference) and with the hub's own <see cref="EventBatchDecoder"/>.
/// </summary>
internal static class JsonTranscoderHarness
{
    private static readonly Layout[] AllLayouts = [Layout.Contiguous, Layout.OneByteSegments, Layout.RandomSegments, Layout.RandomSegmentsWithEmpty];

    public static (JsonTranscodeResult Result, byte[] Bytes) Run(byte[] json, Layout layout, JsonTranscodeOptions? options = null)
    {
        using var output = new PooledBufferWriter(16);
        output.GetSpan(3)[..3].Fill(0xEE); // something already in the writer: the transcoder must append
        output.Advance(3);
        var result = JsonEventBatchTranscoder.Transcode(Segments.Build(json, layout), output, options ?? JsonTranscodeOptions.Default);
        Assert.True(output.WrittenSpan[..3].SequenceEqual(new byte[] { 0xEE, 0xEE, 0xEE }));
        Assert.Equal(result.BytesWritten, output.WrittenCount - 3);
        return (result, output.WrittenSpan[3..].ToArray());
    }

    /// <summary>Transcodes in every layout, asserts success and identical bytes; returns the bytes.</summary>
    public static byte[] Bytes(string json, JsonTranscodeOptions? options = null) => Bytes(Encoding.UTF8.GetBytes(json), options);

    public static byte[] Bytes(byte[] json, JsonTranscodeOptions? options = null)
    {
        byte[]? first = null;
        foreach (var layout in AllLayouts)
        {
            var (result, bytes) = Run(json, layout, options);
            Assert.True(result.Success, $"{layout}: {string.Join("; ", result.Errors)}");
            Assert.Empty(result.Errors);
            if (first is null)
            {
                first = bytes;
            }
            else
            {
                Assert.Equal(first, bytes);
            }
        }

        return first!;
    }

    /// <summary>The batch as Google.Protobuf reads it, after checking the hub's decoder reads every event cleanly.</summary>
    public static V1.EventBatch Parse(string json, JsonTranscodeOptions? options = null)
    {
        var bytes = Bytes(json, options);
        using var batch = Decode(bytes);
        var parsed = V1.EventBatch.Parser.ParseFrom(bytes);
        Assert.Equal(parsed.Events.Count, batch.Count);
        return parsed;
    }

    public static V1.AnalyticsEvent ParseEvent(string json) => Assert.Single(Parse(json).Events);

    /// <summary>Loads and decodes with the hub's zero-copy decoder; every row must decode.</summary>
    public static Core.Events.EventBatch Decode(byte[] bytes)
    {
        var batch = new Core.Events.EventBatch();
        batch.Load(bytes);
        Assert.True(EventBatchDecoder.TryDecode(batch, out var error), error.ToString());
        foreach (var row in batch.Rows)
        {
            Assert.Equal(EventDecodeError.None, row.DecodeError);
        }

        return batch;
    }

    /// <summary>Transcodes in every layout, asserts failure with the same errors in each; returns them.</summary>
    public static IReadOnlyList<JsonFieldError> Errors(string json, JsonTranscodeOptions? options = null) => Errors(Encoding.UTF8.GetBytes(json), options);

    public static IReadOnlyList<JsonFieldError> Errors(byte[] json, JsonTranscodeOptions? options = null, bool allLayouts = true)
    {
        IReadOnlyList<JsonFieldError>? first = null;
        foreach (var layout in allLayouts ? AllLayouts : [Layout.Contiguous])
        {
            var (result, bytes) = Run(json, layout, options);
            Assert.False(result.Success);
            Assert.Empty(bytes);
            Assert.Equal(0, result.BytesWritten);
            if (first is null)
            {
                first = result.Errors;
            }
            else
            {
                Assert.Equal(first.Select(Comparable), result.Errors.Select(Comparable));
            }
        }

        return first!;
    }

    // The reader words a syntax error by what it saw of the token, which depends on segment
    // boundaries; the position must not.
    private static string Comparable(JsonFieldError error)
    {
        var cut = error.Message.StartsWith("malformed JSON", StringComparison.Ordinal) ? error.Message.IndexOf("): ", StringComparison.Ordinal) : -1;
        return $"{error.EventIndex} {error.Path} {(cut > 0 ? error.Message[..cut] : error.Message)}";
    }

    /// <summary>The one error a body produces, checked for its path and for words of its message.</summary>
    public static JsonFieldError SingleError(string json, string path, params string[] messageParts) =>
        SingleError(Encoding.UTF8.GetBytes(json), path, messageParts);

    public static JsonFieldError SingleError(byte[] json, string path, params string[] messageParts) =>
        SingleError(null, json, path, messageParts);

    public static JsonFieldError SingleError(JsonTranscodeOptions? options, string json, string path, params string[] messageParts) =>
        SingleError(options, Encoding.UTF8.GetBytes(json), path, messageParts);

    private static JsonFieldError SingleError(JsonTranscodeOptions? options, byte[] json, string path, string[] messageParts)
    {
        var error = Assert.Single(Errors(json, options));
        Assert.Equal(path, error.Path);
        foreach (var part in messageParts)
        {
            Assert.Contains(part, error.Message, StringComparison.OrdinalIgnoreCase);
        }

        return error;
    }

    public static string Text(Core.Events.EventBatch batch, ArenaSlice slice) => Encoding.UTF8.GetString(batch.Bytes(slice));
}
