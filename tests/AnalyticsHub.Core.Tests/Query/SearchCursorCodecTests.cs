using System.Buffers.Text;
using AnalyticsHub.Core.Query;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class SearchCursorCodecTests
{
    [Theory]
    [InlineData(0L, "e")]
    [InlineData(1_795_478_400_123_456_789L, "9f6c1f0e-8b4a-4f43-9a7e-3d2b1c0a9f8e")]
    [InlineData(long.MaxValue, "évènement-ü")]
    public void Encode_ThenDecode_RoundTrips(long time, string eventId)
    {
        var text = SearchCursorCodec.Encode(new SearchCursor(time, eventId));

        Assert.True(SearchCursorCodec.TryDecode(text, out var cursor));
        Assert.Equal(new SearchCursor(time, eventId), cursor);
    }

    [Fact]
    public void Encode_IsUrlSafeWithoutPadding()
    {
        for (var i = 0; i < 64; i++)
        {
            var text = SearchCursorCodec.Encode(new SearchCursor((long)i * 0x0123_4567_89AB_CDEF % long.MaxValue, new string('?', i + 1) + "~>"));

            Assert.Matches("^[A-Za-z0-9_-]+$", text);
        }
    }

    [Fact]
    public void Encode_StartsWithVersion1()
    {
        var bytes = Base64Url.DecodeFromChars(SearchCursorCodec.Encode(new SearchCursor(5, "id")));

        Assert.Equal(1, bytes[0]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 5, 2, (byte)'i', (byte)'d' }, bytes[1..]);
    }

    [Fact]
    public void Encode_RefusesWhatCannotBeACursor()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SearchCursorCodec.Encode(new SearchCursor(-1, "id")));
        Assert.Throws<ArgumentException>(() => SearchCursorCodec.Encode(new SearchCursor(1, "")));
        Assert.Throws<ArgumentException>(() => SearchCursorCodec.Encode(new SearchCursor(1, new string('x', 256))));
    }

    public static TheoryData<string, string?> BadCursors()
    {
        var good = Base64Url.DecodeFromChars(SearchCursorCodec.Encode(new SearchCursor(42, "abc")));
        string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
        var otherVersion = (byte[])good.Clone();
        otherVersion[0] = 2;
        var negative = (byte[])good.Clone();
        negative[1] = 0x80;
        var longerId = (byte[])good.Clone();
        longerId[9] = 4;
        var zeroId = (byte[])good.Clone();
        zeroId[9] = 0;
        var controlId = (byte[])good.Clone();
        controlId[10] = 0x01;
        var badUtf8 = (byte[])good.Clone();
        badUtf8[10] = 0xC3;
        badUtf8[11] = 0x28;
        return new TheoryData<string, string?>
        {
            { "null", null },
            { "empty", "" },
            { "not base64", "!!not-a-cursor!!" },
            { "standard base64 characters", Convert.ToBase64String(good) + "+/" },
            { "whitespace", " " + Encode(good) },
            { "other version", Encode(otherVersion) },
            { "negative time", Encode(negative) },
            { "truncated", Encode(good[..^1]) },
            { "header only", Encode(good[..10]) },
            { "extra bytes", Encode([.. good, 0x41]) },
            { "length says more", Encode(longerId) },
            { "empty id", Encode(zeroId[..10]) },
            { "control character in id", Encode(controlId) },
            { "invalid UTF-8", Encode(badUtf8) },
            { "far too long", new string('A', 10_000) },
        };
    }

    [Theory]
    [MemberData(nameof(BadCursors))]
    public void TryDecode_BadCursor_IsRefused(string because, string? text)
    {
        Assert.False(SearchCursorCodec.TryDecode(text, out var cursor), because);
        Assert.Equal(default, cursor);
    }
}
