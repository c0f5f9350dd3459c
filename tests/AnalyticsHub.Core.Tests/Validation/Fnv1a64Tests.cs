using System.Text;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class Fnv1a64Tests
{
    // Published FNV-1a 64 test vectors (Landon Curt Noll's reference test suite).
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Hash_MatchesReferenceVectors(string text, ulong expected) =>
        Assert.Equal(expected, Fnv1a64.Hash(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Hash_IsCaseAndByteSensitive()
    {
        Assert.NotEqual(Fnv1a64.Hash("model-a"u8), Fnv1a64.Hash("Model-a"u8));
        Assert.NotEqual(Fnv1a64.Hash("model-a"u8), Fnv1a64.Hash("model-a "u8));
    }
}
