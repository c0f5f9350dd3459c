using System.Text;
using AnalyticsHub.LoadRunner.Load;

namespace AnalyticsHub.LoadRunner.Tests.Load;

public class QueryMetaParserTests
{
    private const string Meta = """{"execution_time_ms":3.25,"row_count":72010,"cached":true,"source":"rollup","start":"2026-11-24T00:28:00.000000000Z","end":"2026-11-25T00:29:00.000000000Z","time_bucket":"1m"}""";

    [Fact]
    public void Parse_HubAnswer_ReadsTheMeta()
    {
        var meta = QueryMetaParser.Parse(Encoding.UTF8.GetBytes(Answer(points: 3, Meta)));
        Assert.True(meta.Found);
        Assert.Equal(3.25, meta.ExecutionTimeMs);
        Assert.Equal(72010, meta.RowCount);
        Assert.True(meta.Cached);
        Assert.Equal("rollup", meta.Source);
    }

    [Fact]
    public void Parse_IndentedMetaWithOtherValues_ReadsTheMeta()
    {
        var body = "{\n  \"status\": \"success\",\n  \"data\": {\"meta\": 1},\n  \"error\": null,\n  \"meta\" : {\n    \"cached\": false,\n    \"source\": \"store\",\n    \"extra\": {\"nested\": [1, 2]},\n    \"execution_time_ms\": 12\n  }\n}\n";
        var meta = QueryMetaParser.Parse(Encoding.UTF8.GetBytes(body));
        Assert.True(meta.Found);
        Assert.False(meta.Cached);
        Assert.Equal("store", meta.Source);
        Assert.Equal(12, meta.ExecutionTimeMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("""{"status":"success","data":{}}""")]
    [InlineData("""{"status":"success","meta":{"cached":true,"source":"rol""")]
    [InlineData("""{"meta": 5}""")]
    public void Parse_NoCompleteMeta_IsNotFound(string body)
    {
        Assert.False(QueryMetaParser.Parse(Encoding.UTF8.GetBytes(body)).Found);
    }

    [Fact]
    public void ErrorCode_IsReadFromAnErrorAnswer()
    {
        var body = """{"status":"error","data":null,"error":{"code":"invalid_query","message":"metric: unknown","details":[{"field":"metric","message":"x"}]},"meta":{"execution_time_ms":0.1,"row_count":0,"cached":false}}""";
        Assert.Equal("invalid_query", QueryMetaParser.ErrorCode(Encoding.UTF8.GetBytes(body)));
        Assert.Null(QueryMetaParser.ErrorCode("<html>bad gateway</html>"u8));
        Assert.Null(QueryMetaParser.ErrorCode("""{"status":"error","error":null,"code":"x"}"""u8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task TailBuffer_LargeAnswerInSmallReads_KeepsTheMetaAndCountsEveryByte(int readSize)
    {
        var bytes = Encoding.UTF8.GetBytes(Answer(points: 5_000, Meta)); // ~0.5 MB: the buffer wraps many times
        var tail = new TailBuffer(capacity: 64 * 1024);
        await tail.ReadToEndAsync(new ChunkedStream(bytes, readSize), CancellationToken.None);
        Assert.Equal(bytes.Length, tail.Total);
        Assert.True(tail.Tail.Length >= TailBuffer.Keep);
        Assert.True(bytes.AsSpan().EndsWith(tail.Tail));
        var meta = QueryMetaParser.Parse(tail.Tail);
        Assert.True(meta.Found);
        Assert.Equal(72010, meta.RowCount);

        // Reused for a small answer: nothing of the large one is left.
        var small = Encoding.UTF8.GetBytes(Answer(points: 1, Meta.Replace("true", "false", StringComparison.Ordinal)));
        await tail.ReadToEndAsync(new MemoryStream(small), CancellationToken.None);
        Assert.Equal(small.Length, tail.Total);
        Assert.True(tail.Tail.SequenceEqual(small));
        Assert.False(QueryMetaParser.Parse(tail.Tail).Cached);
    }

    internal static string Answer(int points, string meta)
    {
        var text = new StringBuilder("""{"status":"success","data":{"columns":["avg","p99"],"series":[{"group":{"model":"gpt-4o"},"points":[""");
        for (var i = 0; i < points; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("""{"time":"2026-11-24T00:28:00.000000000Z","time_unix_nano":1795480080000000000,"values":{"avg":178.9775,"p99":248.69640537110033}}""");
        }

        return text.Append("""]}]},"error":null,"meta":""").Append(meta).Append('}').ToString();
    }

    /// <summary>A stream handing out at most <c>readSize</c> bytes per read, like a socket.</summary>
    private sealed class ChunkedStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
