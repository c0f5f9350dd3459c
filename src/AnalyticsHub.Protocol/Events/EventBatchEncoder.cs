namespace AnalyticsHub.Protocol.Events;

/// <summary>Builds an <c>analyticshub.v1.EventBatch</c> from events that are already encoded (e.g. dead letters to replay).</summary>
public static class EventBatchEncoder
{
    private const int Events = 1;

    public static byte[] FromEncodedEvents(IReadOnlyList<byte[]> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        long size = 0;
        foreach (var e in events)
        {
            size += ProtoWriter.LengthDelimitedSize(Events, e.Length);
        }

        var buffer = new byte[checked((int)size)];
        var writer = new ProtoWriter(buffer);
        foreach (var e in events)
        {
            writer.WriteBytesField(Events, e);
        }
        return buffer;
    }
}
