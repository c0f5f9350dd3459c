using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class MetadataTests
{
    [Theory]
    [InlineData(new byte[] { }, "")]
    [InlineData(new byte[] { 0x01 }, "AQ")]
    [InlineData(new byte[] { 0x01, 0x02 }, "AQI")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 }, "AQID")]
    [InlineData(new byte[] { 0xFB, 0xFF }, "+/8")]
    public void BinaryEntry_ToHeaderValue_IsBase64WithoutPadding(byte[] value, string expected)
    {
        Assert.Equal(expected, new Metadata.Entry("x-bin", value).ToHeaderValue());
    }

    [Theory]
    [InlineData("AQ==", new byte[] { 0x01 })]
    [InlineData("AQ", new byte[] { 0x01 })]
    [InlineData("AQI=", new byte[] { 0x01, 0x02 })]
    [InlineData("AQI", new byte[] { 0x01, 0x02 })]
    [InlineData("AQID", new byte[] { 0x01, 0x02, 0x03 })]
    [InlineData("", new byte[] { })]
    public void FromHeader_BinaryKey_DecodesBase64WithOrWithoutPadding(string header, byte[] expected)
    {
        var entry = Metadata.Entry.FromHeader("x-b-bin", header);

        Assert.True(entry.IsBinary);
        Assert.Null(entry.Value);
        Assert.Equal(expected, entry.ValueBytes);
    }

    [Theory]
    [InlineData("A")] // one leftover character can never be base64
    [InlineData("A===")]
    [InlineData("not base64!")]
    public void FromHeader_BinaryKeyWithInvalidBase64_Throws(string header)
    {
        Assert.Throws<FormatException>(() => Metadata.Entry.FromHeader("x-b-bin", header));
    }

    [Fact]
    public void FromHeader_TextKey_KeepsValue()
    {
        var entry = Metadata.Entry.FromHeader("x-a", "1");

        Assert.False(entry.IsBinary);
        Assert.Equal("1", entry.Value);
        Assert.Equal("1", entry.ToHeaderValue());
        Assert.Equal("x-a=1", entry.ToString());
    }

    [Fact]
    public void BinaryRoundTrip_ThroughHeaderValue_KeepsEveryByte()
    {
        var random = new Random(5);
        for (var length = 0; length < 40; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);

            var wire = new Metadata.Entry("k-bin", bytes).ToHeaderValue();

            Assert.DoesNotContain('=', wire);
            Assert.Equal(bytes, Metadata.Entry.FromHeader("k-bin", wire).ValueBytes);
        }
    }

    [Theory]
    [InlineData("X-Custom-Key", "x-custom-key")]
    [InlineData("a.b_c-d", "a.b_c-d")]
    [InlineData("0123456789", "0123456789")]
    public void Entry_Key_IsNormalisedToLowerCase(string key, string expected)
    {
        Assert.Equal(expected, new Metadata.Entry(key, "v").Key);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData(":path")]
    [InlineData("a/b")]
    [InlineData("caf\u00E9")]
    [InlineData("a\tb")]
    [InlineData("a=b")]
    public void Entry_InvalidKey_IsRejected(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry(key, "v"));
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry(key + "-bin", [1]));
    }

    [Fact]
    public void Entry_NullOrEmptyKeyOrNullValue_IsRejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry("", "v"));
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry(null!, "v"));
        Assert.Throws<ArgumentNullException>(() => new Metadata.Entry("k", (string)null!));
        Assert.Throws<ArgumentNullException>(() => new Metadata.Entry("k-bin", (byte[])null!));
    }

    [Fact]
    public void Entry_ValueKindMustMatchKeySuffix()
    {
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("x-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("X-BIN", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("x-text", [1, 2]));
    }

    [Fact]
    public void Get_ReturnsLastEntryIgnoringCase()
    {
        var metadata = new Metadata { { "x-a", "1" }, { "x-b", "2" }, { "X-A", "3" } };

        Assert.Equal("3", metadata.GetValue("x-a"));
        Assert.Equal("3", metadata.GetValue("X-a"));
        Assert.Null(metadata.Get("x-c"));
        Assert.Equal(3, metadata.Count);
        Assert.Equal(["x-a", "x-b", "x-a"], metadata.Select(e => e.Key));
    }

    [Theory]
    [InlineData("x-b-bin", true)]
    [InlineData("X-B-BIN", true)]
    [InlineData("bin", false)]
    [InlineData("x-binary", false)]
    public void IsBinaryKey_LooksAtTheSuffix(string key, bool expected)
    {
        Assert.Equal(expected, Metadata.IsBinaryKey(key));
    }

    [Theory]
    [InlineData("x-a", true)]
    [InlineData("x-b-bin", true)]
    [InlineData("authorization", true)]
    [InlineData("grpc-timeout", false)]
    [InlineData("grpc-status", false)]
    [InlineData("GRPC-MESSAGE", false)]
    [InlineData("grpc-encoding", false)]
    [InlineData("grpc-accept-encoding", false)]
    [InlineData(":path", false)]
    [InlineData(":authority", false)]
    [InlineData("content-type", false)]
    [InlineData("Content-Type", false)]
    [InlineData("te", false)]
    [InlineData("content-length", false)]
    [InlineData("connection", false)]
    [InlineData("host", false)]
    [InlineData("", false)]
    public void IsCustomHeader_ExcludesReservedAndPseudoHeaders(string key, bool expected)
    {
        Assert.Equal(expected, Metadata.IsCustomHeader(key));
    }
}
