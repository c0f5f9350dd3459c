using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Ingestion;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Ingest;
using Google.Protobuf;

namespace AnalyticsHub.Protocol.Tests.Ingest;

/// <summary>
/// A batch taken through admission as the server's ingest path does it (decode, normalize and
/// validate each row, duplicate window, rejection texts), then written as a WAL record. The
/// envelope is spelled out with Google.Protobuf's <see cref="CodedOutputStream"/> from raw event
/// bytes, so a test can put malformed events or extra fields in it.
/// </summary>
internal sealed class AdmittedBatch : IDisposable
{
    public const long Now = 1_795_000_000_000_000_000;
    public const long ReceivedUnixNano = Now + 123;

    /// <summary>Observatory's clock runs 2 s slow; EUR is configured.</summary>
    public static readonly EventNormalizer Normalizer = new(
        new ClockSkew(new Dictionary<SourceModule, TimeSpan> { [SourceModule.LlmObservatory] = TimeSpan.FromSeconds(2) }),
        new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.08 }));

    private readonly IngestRecordWriter _writer = new();

    public AdmittedBatch(IReadOnlyList<byte[]> events, string producer = "producer-1", ulong sequence = 42)
    {
        Events = events;
        Wire = Envelope(events, producer, sequence);
        Batch = new EventBatch();
        Batch.Load(Wire);
        Assert.True(EventBatchDecoder.TryDecode(Batch, out var error), error.ToString());

        var validator = new EventValidator();
        var eventIds = new EventIdWindow(new EventIdWindowOptions());
        uint accepted = 0, rejected = 0, duplicates = 0;
        foreach (ref var row in Batch.Rows)
        {
            row.Rejection = validator.NormalizeAndValidate(Batch, ref row, Normalizer, Now, 0);
            if (row.Rejection != Rejection.None)
            {
                rejected++;
            }
            else if (!eventIds.TryAdd(Batch.Bytes(row.EventId), Batch.Bytes(row.TenantId), 0))
            {
                row.IsDuplicate = true;
                duplicates++;
            }
            else
            {
                accepted++;
            }
        }

        Counts = new AdmissionCounts(accepted, rejected, duplicates);
        var rejections = new List<RejectionInfo>();
        for (var i = 0; i < Batch.Count; i++)
        {
            ref readonly var row = ref Batch[i];
            if (row.Rejection != Rejection.None)
            {
                rejections.Add(new RejectionInfo(i, RejectionCodes.Of(row.Rejection)!, RejectionMessages.Describe(Batch, row, row.Rejection, validator)));
            }
        }

        Rejections = rejections;
        Record = _writer.Write(Batch, ReceivedUnixNano, Counts, [.. rejections]).ToArray();
    }

    /// <summary>Each event's bytes as sent.</summary>
    public IReadOnlyList<byte[]> Events { get; }

    /// <summary>The <c>EventBatch</c> as sent.</summary>
    public byte[] Wire { get; }

    /// <summary>The batch after admission: rows normalized, judged and marked.</summary>
    public EventBatch Batch { get; }

    public AdmissionCounts Counts { get; }

    public IReadOnlyList<RejectionInfo> Rejections { get; }

    /// <summary>A copy of the WAL record written for the batch.</summary>
    public byte[] Record { get; }

    public static AdmittedBatch Of(params IMessage[] events) => new(events.Select(e => e.ToByteArray()).ToArray());

    public static byte[] Envelope(IEnumerable<byte[]> events, string producer, ulong sequence)
    {
        using var bytes = new MemoryStream();
        var output = new CodedOutputStream(bytes);
        foreach (var e in events)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(e));
        }

        if (producer.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(producer);
        }

        if (sequence != 0)
        {
            output.WriteTag(3, WireFormat.WireType.Varint);
            output.WriteUInt64(sequence);
        }

        output.Flush();
        return bytes.ToArray();
    }

    public void Dispose()
    {
        _writer.Dispose();
        Batch.Dispose();
    }
}
