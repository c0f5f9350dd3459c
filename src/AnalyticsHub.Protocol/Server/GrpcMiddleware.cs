using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.Protocol.Server;

/// <summary>
/// Admits gRPC requests (HTTP/2, POST, application/grpc[+proto]), routes them by path, and runs
/// the call. Requests that are neither gRPC nor aimed at a gRPC method pass to the next middleware.
/// </summary>
public sealed class GrpcMiddleware(
    RequestDelegate next,
    GrpcServiceRegistry registry,
    IOptions<GrpcServerOptions> options,
    GrpcServerLifetime lifetime,
    ILogger<GrpcMiddleware> logger)
{
    private readonly GrpcServerOptions _options = options.Value;

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        var isGrpc = GrpcProtocol.IsAnyGrpcContentType(request.ContentType);
        var known = registry.TryGetMethod(path, out var method);
        if (!isGrpc && !known)
        {
            return next(http);
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return RejectAsync(http, StatusCodes.Status405MethodNotAllowed, $"Request method '{request.Method}' is not supported; gRPC uses POST.");
        }

        if (request.ProtocolVersion() < 2)
        {
            // RFC 9110 §15.5.22: 426 names the protocol to switch to.
            http.Response.Headers.Upgrade = request.IsHttps ? "h2" : "h2c";
            http.Response.Headers.Connection = "Upgrade";
            return RejectAsync(http, StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported; gRPC requires HTTP/2.");
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            return RejectAsync(http, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported.");
        }

        if (!known)
        {
            var service = ServiceOf(path);
            var detail = service is not null && registry.HasService(service) ? "Method is unimplemented." : "Service is unimplemented.";
            ServerLog.Unimplemented(logger, path, detail);
            return TrailersOnlyAsync(http, StatusCode.Unimplemented, detail);
        }

        return RunCallAsync(http, method);
    }

    private async Task RunCallAsync(HttpContext http, ServerMethod method)
    {
        var encoding = http.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (!_options.CompressionProviders.TryResolve(encoding, out var requestCompression))
        {
            http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = _options.CompressionProviders.AcceptEncoding;
            await TrailersOnlyAsync(
                http,
                StatusCode.Unimplemented,
                $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {_options.CompressionProviders.AcceptEncoding}").ConfigureAwait(false);
            return;
        }

        // Our limits are per message (checked on each frame header), not per body.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBody)
        {
            maxBody.MaxRequestBodySize = null;
        }

        // A quiet stream is not a slow client: streams may idle between messages for hours.
        if (method.IsClientStreaming && http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }

        http.Response.ContentType = GrpcProtocol.ContentType;
        using var context = new ServerCallContext(http, method.Path, _options, lifetime, requestCompression, logger);
        if (!context.Initialize())
        {
            await context.CompleteAsync(new Status(StatusCode.Internal, $"Malformed grpc-timeout header '{http.Request.Headers[GrpcProtocol.TimeoutHeader]}'.")).ConfigureAwait(false);
            return;
        }

        await context.RunAsync(method.InvokeAsync).ConfigureAwait(false);
    }

    private Task RejectAsync(HttpContext http, int httpStatus, string reason)
    {
        ServerLog.RequestRejected(logger, http.Request.Path.Value ?? "", httpStatus, reason);
        var response = http.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.StatusText(StatusCode.Internal);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(reason);
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(reason + "\n");
    }

    private Task TrailersOnlyAsync(HttpContext http, StatusCode code, string detail)
    {
        var response = http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.StatusText(code);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(detail);
        return response.CompleteAsync();
    }

    private static string? ServiceOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash > 1 ? path[1..slash] : null;
    }
}

internal static class HttpRequestVersionExtensions
{
    /// <summary>The HTTP major version of a request (1 for HTTP/1.x, 2, 3).</summary>
    public static int ProtocolVersion(this HttpRequest request) =>
        HttpProtocol.IsHttp2(request.Protocol) ? 2 : HttpProtocol.IsHttp3(request.Protocol) ? 3 : 1;
}
