using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>Writer options of the hub's JSON answers: readable text (no \u0027 for quotes); never embedded in HTML.</summary>
internal static class HubJsonWriter
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
