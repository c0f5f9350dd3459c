namespace AnalyticsHub.Protocol.Grpc;

/// <summary>Names and constants of gRPC over HTTP/2 (doc/PROTOCOL-HTTP2.md in grpc/grpc).</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string ContentTypeProto = "application/grpc+proto";

    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TeHeader = "te";

    public const string IdentityEncoding = "identity";

    /// <summary>Length of the message prefix: 1 byte compressed flag + 4 bytes big-endian length.</summary>
    public const int FrameHeaderLength = 5;

    /// <summary>Default limit on one received message (after decompression).</summary>
    public const int DefaultMaxReceiveMessageSize = 16 * 1024 * 1024;

    // grpc-status values as sent, so answering a call formats (and allocates) nothing.
    private static readonly string[] StatusTexts = Enumerable.Range(0, (int)StatusCode.Unauthenticated + 1)
        .Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .ToArray();

    /// <summary>The <c>grpc-status</c> header value of a status code.</summary>
    public static string StatusText(StatusCode code) =>
        (uint)code < (uint)StatusTexts.Length ? StatusTexts[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a content-type is a gRPC one we serve: <c>application/grpc</c>, or
    /// <c>application/grpc+proto</c>, optionally followed by parameters.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        if (rest.StartsWith("+proto", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[6..];
        }

        return rest.IsEmpty || rest[0] == ';';
    }

    /// <summary>
    /// Whether a content-type names gRPC at all, including codecs we do not serve (<c>+json</c>), but
    /// not other types that merely start alike (<c>application/grpc-web</c>, <c>application/grpcx</c>).
    /// </summary>
    public static bool IsAnyGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }
}
