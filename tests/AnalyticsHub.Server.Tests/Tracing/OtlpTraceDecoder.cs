using Google.Protobuf;

namespace AnalyticsHub.Server.Tests.Tracing;

/// <summary>
/// Reads an OTLP <c>ExportTraceServiceRequest</c> off the protobuf wire, field by field (opentelemetry-proto
/// trace/v1 and common/v1): ResourceSpans = 1 → resource = 1 / ScopeSpans = 2 → scope = 1 / Span = 2. Only what the
/// tests look at is decoded; every other field is skipped.
/// </summary>
internal static class OtlpTraceDecoder
{
    public static IEnumerable<ExportedSpan> Decode(byte[] request)
    {
        var spans = new List<ExportedSpan>();
        foreach (var resourceSpans in Fields(request, 1))
        {
            string service = "";
            foreach (var resource in Fields(resourceSpans, 1))
            {
                service = Attributes(resource, 1).GetValueOrDefault("service.name") as string ?? "";
            }

            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                string scope = "";
                foreach (var scopeMessage in Fields(scopeSpans, 1))
                {
                    scope = String(scopeMessage, 1);
                }

                foreach (var span in Fields(scopeSpans, 2))
                {
                    spans.Add(Span(span, service, scope));
                }
            }
        }
        return spans;
    }

    /// <summary>Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, attributes = 9, status = 15 (message = 2, code = 3).</summary>
    private static ExportedSpan Span(byte[] span, string service, string scope)
    {
        string traceId = "", spanId = "", parent = "", name = "", statusMessage = "";
        int statusCode = 0;
        var input = new CodedInputStream(span);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                case 15:
                    var status = input.ReadBytes().ToByteArray();
                    statusMessage = String(status, 2);
                    statusCode = (int)Varint(status, 3);
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new ExportedSpan(service, scope, traceId, spanId, parent, name, Attributes(span, 9), statusCode, statusMessage);
    }

    /// <summary>Repeated KeyValue (key = 1, value = 2: AnyValue string = 1, bool = 2, int = 3, double = 4).</summary>
    private static Dictionary<string, object> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var pair in Fields(message, field))
        {
            string key = String(pair, 1);
            foreach (var any in Fields(pair, 2))
            {
                var input = new CodedInputStream(any);
                uint tag;
                while ((tag = input.ReadTag()) != 0)
                {
                    switch (WireFormat.GetTagFieldNumber(tag))
                    {
                        case 1: attributes[key] = input.ReadString(); break;
                        case 2: attributes[key] = input.ReadBool(); break;
                        case 3: attributes[key] = input.ReadInt64(); break;
                        case 4: attributes[key] = input.ReadDouble(); break;
                        default: input.SkipLastField(); break;
                    }
                }
            }
        }
        return attributes;
    }

    /// <summary>The bytes of every occurrence of length-delimited field <paramref name="number"/>.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }

    private static string String(byte[] message, int number) =>
        Fields(message, number) is [var last, ..] ? System.Text.Encoding.UTF8.GetString(last) : "";

    private static ulong Varint(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        uint tag;
        ulong value = 0;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
            {
                value = input.ReadUInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return value;
    }
}
