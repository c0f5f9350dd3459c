using System.Text;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class UuidTests
{
    [Theory]
    [InlineData("00112233-4455-6677-8899-aabbccddeeff")]
    [InlineData("00112233-4455-6677-8899-AABBCCDDEEFF")]
    [InlineData("AbCdEf01-2345-6789-aBcD-eF0123456789")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    public void IsValid_CanonicalForm_True(string text)
    {
        Assert.True(Uuid.IsValid(Encoding.UTF8.GetBytes(text)));
        Assert.True(Uuid.TryParse(Encoding.UTF8.GetBytes(text), out Guid guid));
        Assert.Equal(Guid.Parse(text), guid);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("00112233445566778899aabbccddeeff")] // 32 digits: not canonical
    [InlineData("{00112233-4455-6677-8899-aabbccddeeff}")] // braces
    [InlineData("(00112233-4455-6677-8899-aabbccddeeff)")]
    [InlineData("urn:uuid:00112233-4455-6677-8899-aabbccddeeff")]
    [InlineData(" 00112233-4455-6677-8899-aabbccddeeff")] // whitespace
    [InlineData("00112233-4455-6677-8899-aabbccddeeff ")]
    [InlineData("00112233-4455-6677-8899-aabbccddeef")] // short
    [InlineData("00112233-4455-6677-8899-aabbccddeeff0")] // long
    [InlineData("0011223-34455-6677-8899-aabbccddeeff")] // dash misplaced
    [InlineData("00112233_4455_6677_8899_aabbccddeeff")]
    [InlineData("00112233-4455-6677-8899-aabbccddeefg")] // g
    [InlineData("0011223G-4455-6677-8899-aabbccddeeff")]
    [InlineData("00112233-4455-6677-8899-aabbccddee@f")] // '@' is 'A' - 1
    [InlineData("00112233-4455-6677-8899-aabbccddee`f")] // '`' is 'a' - 1
    [InlineData("00112233-4455-6677-8899-aabbccddee/f")] // '/' is '0' - 1
    [InlineData("00112233-4455-6677-8899-aabbccddee:f")] // ':' is '9' + 1
    [InlineData("00112233-4455-6677-8899+aabbccddeeff")]
    [InlineData("00112233-4455-6677-8899-aabbccddeeÿ")] // non-ASCII
    public void IsValid_AnythingElse_False(string text)
    {
        Assert.False(Uuid.IsValid(Encoding.UTF8.GetBytes(text)));
        Assert.False(Uuid.TryParse(Encoding.UTF8.GetBytes(text), out Guid guid));
        Assert.Equal(Guid.Empty, guid);
    }

    [Fact]
    public void TryParse_HighLow_AreTheDigitsInTextOrder()
    {
        Assert.True(Uuid.TryParse("00112233-4455-6677-8899-aabbccddeeff"u8, out ulong high, out ulong low));
        Assert.Equal(0x0011223344556677UL, high);
        Assert.Equal(0x8899aabbccddeeffUL, low);
    }

    [Fact]
    public void TryParse_CaseDoesNotChangeTheValue()
    {
        Assert.True(Uuid.TryParse("ABCDEF01-2345-6789-ABCD-EF0123456789"u8, out Guid upper));
        Assert.True(Uuid.TryParse("abcdef01-2345-6789-abcd-ef0123456789"u8, out Guid lower));
        Assert.Equal(upper, lower);
    }

    [Fact]
    public void TryParse_EveryHexDigitInEveryPosition_RoundTripsThroughGuid()
    {
        var random = new Random(42);
        for (int i = 0; i < 1_000; i++)
        {
            var guid = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray());
            string text = i % 2 == 0 ? guid.ToString("D") : guid.ToString("D").ToUpperInvariant();
            Assert.True(Uuid.TryParse(Encoding.ASCII.GetBytes(text), out Guid parsed));
            Assert.Equal(guid, parsed);
        }
    }
}
