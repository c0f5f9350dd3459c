namespace AnalyticsHub.Testing;

/// <summary>Reads gRPC status headers from a response, wherever the server put them.</summary>
public static class GrpcHeaders
{
    /// <summary>A header from the trailers, or from the headers of a Trailers-Only response.</summary>
    public static string? Value(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First()
        : null;
}
