using System.Text.Json;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Reads the counts from a REST ingest response (<c>{"accepted":…,"rejected":…,"duplicates":…,
/// "results":[{"index":…,"status":…,"code":…},…]}</c>): the top-level numbers, as in the gRPC
/// BatchAck, and the <c>code</c> of each result that has one (read only when something was
/// rejected). A 2xx body without counts (or not JSON) counts the whole batch as accepted.
/// </summary>
internal static class RestAckParser
{
    public static CallAck Parse(ReadOnlySpan<byte> body, int batchSize)
    {
        long? accepted = null;
        long rejected = 0;
        long duplicates = 0;
        List<string>? codes = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new CallAck(batchSize, 0, 0, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && name.SequenceEqual("accepted"u8))
                {
                    accepted = reader.GetInt64();
                }
                else if (reader.TokenType == JsonTokenType.Number && name.SequenceEqual("rejected"u8))
                {
                    rejected = reader.GetInt64();
                }
                else if (reader.TokenType == JsonTokenType.Number && name.SequenceEqual("duplicates"u8))
                {
                    duplicates = reader.GetInt64();
                }
                else if (reader.TokenType == JsonTokenType.StartArray && (name.SequenceEqual("results"u8) || name.SequenceEqual("rejections"u8)))
                {
                    if (accepted is not null && rejected == 0)
                    {
                        break; // nothing rejected: the per-event results need not be read
                    }

                    codes = ReadCodes(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or truncated): keep what was read.
        }

        return new CallAck(accepted ?? Math.Max(0, batchSize - rejected - duplicates), rejected, duplicates, codes);
    }

    private static List<string> ReadCodes(ref Utf8JsonReader reader)
    {
        var codes = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueSpan.SequenceEqual("code"u8);
                reader.Read();
                if (isCode && reader.TokenType == JsonTokenType.String)
                {
                    codes.Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return codes;
    }
}
