using AnalyticsHub.LoadRunner.Load;

namespace AnalyticsHub.LoadRunner.Tests.Load;

public class RestAckParserTests
{
    [Fact]
    public void Counts_AreReadFromTheBody()
    {
        var ack = RestAckParser.Parse("""{"accepted":998,"rejected":2,"duplicates":0,"rejections":[{"index":3,"code":"invalid_uuid"},{"index":9,"code":"negative_metric"}]}"""u8, 1000);
        Assert.Equal(998, ack.Accepted);
        Assert.Equal(2, ack.Rejected);
        Assert.Equal(["invalid_uuid", "negative_metric"], ack.RejectionCodes);
    }

    [Fact]
    public void HubResponse_CodesComeFromTheRejectedResults()
    {
        var ack = RestAckParser.Parse("""{"accepted":1,"rejected":1,"duplicates":1,"results":[{"index":0,"event_id":"a","status":"accepted"},{"index":1,"event_id":"b","status":"rejected","code":"invalid_uuid","message":"x"},{"index":2,"event_id":"c","status":"duplicate"}]}"""u8, 3);
        Assert.Equal((1L, 1L, 1L), (ack.Accepted, ack.Rejected, ack.Duplicates));
        Assert.Equal(["invalid_uuid"], ack.RejectionCodes);
    }

    [Fact]
    public void HubResponse_NothingRejected_ResultsAreNotRead()
    {
        var ack = RestAckParser.Parse("""{"accepted":2,"rejected":0,"duplicates":0,"results":[{"index":0,"status":"accepted"},{"index":1,"status":"accepted"}]}"""u8, 2);
        Assert.Equal(2, ack.Accepted);
        Assert.Null(ack.RejectionCodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("""{"status":"ok"}""")]
    public void BodyWithoutCounts_CountsTheBatchAsAccepted(string body)
    {
        var ack = RestAckParser.Parse(System.Text.Encoding.UTF8.GetBytes(body), 1000);
        Assert.Equal(1000, ack.Accepted);
        Assert.Equal(0, ack.Rejected);
    }
}
