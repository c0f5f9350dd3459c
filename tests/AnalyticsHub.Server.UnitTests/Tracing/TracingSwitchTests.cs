using System.Diagnostics;
using AnalyticsHub.Protocol.Ingest;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Ingestion;
using AnalyticsHub.Server.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Server.UnitTests.Tracing;

/// <summary>
/// Tracing off (no <c>Hub:Tracing:OtlpEndpoint</c>): no tracer provider, nothing listening to the hub's source, and the
/// span helpers on the ingest, drain and query paths allocate nothing. On: the source is listened to and spans are made.
/// One class, so the two never run at the same time (a listener is process-wide).
/// </summary>
public sealed class TracingSwitchTests
{
    private const string CallerTraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void TracingOff_NothingListens_AndTheSpanHelpersAllocateNothing()
    {
        using var services = new ServiceCollection().AddTracing(new HubOptions()).BuildServiceProvider();
        var headers = new HeaderDictionary { [RequestTraceContext.TraceParentHeader] = CallerTraceParent };

        Assert.Null(services.GetService<TracerProviderLifetime>());
        Assert.False(HubActivitySource.Source.HasListeners());
        Assert.Null(OneBatchDrainAndQuery(headers));

        OneBatchDrainAndQuery(headers); // JIT and type loading out of the way
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            OneBatchDrainAndQuery(headers);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TracingOn_TheSourceIsListenedTo_AndABatchSpanHangsUnderTheCallersContext()
    {
        var hub = new HubOptions();
        hub.Tracing.OtlpEndpoint = "http://127.0.0.1:9"; // discard port: nothing is expected to arrive
        hub.Tracing.Protocol = TracingOptions.HttpProtobuf;
        var headers = new HeaderDictionary { [RequestTraceContext.TraceParentHeader] = CallerTraceParent };
        using (var services = new ServiceCollection().AddTracing(hub).BuildServiceProvider())
        {
            Assert.NotNull(services.GetService<TracerProviderLifetime>());
            Assert.True(HubActivitySource.Source.HasListeners());

            using var span = OneBatchDrainAndQuery(headers);
            Assert.NotNull(span);
            Assert.Equal(("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"), (span.TraceId.ToHexString(), span.ParentSpanId.ToHexString()));
            Assert.Equal(IngestSpan.Name, span.OperationName);
            Assert.Equal((object)"grpc_stream", span.GetTagItem(IngestSpan.Transport));
            Assert.Equal((object)7, span.GetTagItem(IngestSpan.Accepted));
            Assert.Equal(ActivityStatusCode.Error, span.Status);
        }

        Assert.False(HubActivitySource.Source.HasListeners()); // disposing the provider removed its listener
    }

    /// <summary>What the hot paths do per batch, per store write and per query, with whatever spans tracing yields; returns the batch's span.</summary>
    private static Activity? OneBatchDrainAndQuery(IHeaderDictionary headers)
    {
        var parent = RequestTraceContext.ParentOf(headers);
        var batch = IngestSpan.Start(IngestSpan.GrpcStream, parent);
        IngestSpan.Admitted(batch, 10, new IngestOutcome { Status = IngestStatus.Appended, Counts = new AdmissionCounts(7, 2, 1) });
        IngestSpan.Acknowledged(batch, 10, 7, 2, 1, retry: false);
        SpanFailure.Record(batch, "abandoned", "the stream ended");
        batch?.Stop();

        using (var write = StoreWriteSpan.Start("embedded", 10_000))
        {
            StoreWriteSpan.Retrying(write, 1, "connection refused");
            StoreWriteSpan.Written(write, 10_000, 1);
        }

        using (var search = QuerySpan.StartSearch(RequestTraceContext.ParentOf(headers)))
        {
            SpanFailure.Record(search, "cancelled", null);
        }
        return batch;
    }
}
