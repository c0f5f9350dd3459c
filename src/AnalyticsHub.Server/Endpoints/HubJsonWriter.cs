using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>Writer options of the hub's JSON answers: readable text (no \u0027 for quotes); never embedded in HTML.</summary>
internal static class HubJsonWriter
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The number, or <c>null</c> for NaN and infinities (undefined values: the average of nothing), which JSON cannot hold.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        json.WriteNumberOrNullValue(value);
    }

    /// <inheritdoc cref="WriteNumberOrNull"/>
    public static void WriteNumberOrNullValue(this Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    /// <summary>
    /// An estimate to six significant digits, or <c>null</c>: percentiles come from sketches accurate to 1 %, so
    /// further digits are noise — and on a 24 h answer at 1 m buckets they are over a third of the bytes.
    /// </summary>
    public static void WriteEstimateOrNullValue(this Utf8JsonWriter json, double value)
    {
        Span<byte> text = stackalloc byte[32];
        if (!double.IsFinite(value))
        {
            json.WriteNullValue();
        }
        else if (value.TryFormat(text, out int written, "G6", CultureInfo.InvariantCulture))
        {
            json.WriteRawValue(text[..written], skipInputValidation: true);
        }
        else
        {
            json.WriteNumberValue(value);
        }
    }
}
