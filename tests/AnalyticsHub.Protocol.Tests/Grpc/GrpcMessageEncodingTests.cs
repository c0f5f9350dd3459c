using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class GrpcMessageEncodingTests
{
    // The special_status_message interop test case.
    private const string SpecialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \U0001F608\t\n";

    private const string SpecialStatusMessageEncoded =
        "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A";

    [Fact]
    public void Encode_SpecialStatusMessage_PercentEncodesUtf8AndControls()
    {
        Assert.Equal(SpecialStatusMessageEncoded, GrpcMessageEncoding.Encode(SpecialStatusMessage));
    }

    [Fact]
    public void Decode_SpecialStatusMessage_RoundTrips()
    {
        Assert.Equal(SpecialStatusMessage, GrpcMessageEncoding.Decode(SpecialStatusMessageEncoded));
        Assert.Equal(SpecialStatusMessage, GrpcMessageEncoding.Decode(GrpcMessageEncoding.Encode(SpecialStatusMessage)));
    }

    [Theory]
    [InlineData("%", "%25")]
    [InlineData("100%", "100%25")]
    [InlineData("%25", "%2525")]
    [InlineData("a%b", "a%25b")]
    [InlineData("\u007F", "%7F")] // DEL is not printable
    [InlineData("\u0000", "%00")]
    [InlineData("\u00E9", "%C3%A9")]
    public void Encode_PercentAndNonPrintable_AreEscaped(string message, string expected)
    {
        Assert.Equal(expected, GrpcMessageEncoding.Encode(message));
        Assert.Equal(message, GrpcMessageEncoding.Decode(expected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ASCII ~!@#$^&*()_+{}|:\"<>? stays as is")]
    [InlineData(" ")]
    public void Encode_PrintableAscii_IsUnchanged(string message)
    {
        Assert.Same(message, GrpcMessageEncoding.Encode(message));
        Assert.Same(message, GrpcMessageEncoding.Decode(message));
    }

    [Fact]
    public void Encode_EveryPrintableAsciiExceptPercent_IsKept()
    {
        var printable = new string([.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c != '%')]);

        Assert.Equal(printable, GrpcMessageEncoding.Encode(printable));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("abc%", "abc%")]
    [InlineData("abc%4", "abc%4")]
    [InlineData("%zz", "%zz")]
    [InlineData("%G1", "%G1")]
    [InlineData("%4g", "%4g")]
    [InlineData("%%41", "%A")]
    [InlineData("%41%", "A%")]
    [InlineData("%e2%98%ba", "\u263A")] // lower-case hex is accepted
    [InlineData("100%!", "100%!")]
    public void Decode_MalformedEscapes_AreKeptLiterally(string value, string expected)
    {
        Assert.Equal(expected, GrpcMessageEncoding.Decode(value));
    }

    [Fact]
    public void Decode_InvalidUtf8_BecomesReplacementCharacter()
    {
        Assert.Equal("a\uFFFDb", GrpcMessageEncoding.Decode("a%FFb"));
    }

    [Fact]
    public void Decode_UnencodedBmpTextNextToEscapes_IsKept()
    {
        Assert.Equal("A \u263A \u00E9", GrpcMessageEncoding.Decode("%41 \u263A \u00E9"));
    }

    /// <summary>
    /// Regression: unencoded non-ASCII text was once converted one UTF-16 unit at a time, turning
    /// each half of a surrogate pair (U+1F608) into U+FFFD.
    /// </summary>
    [Fact]
    public void Decode_UnencodedNonBmpTextNextToEscapes_IsKept()
    {
        Assert.Equal("A \U0001F608", GrpcMessageEncoding.Decode("%41 \U0001F608"));
    }
}
