namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// A call ended with a non-OK status. Thrown by handlers to choose the status the client sees,
/// and by the client when a call fails.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    public RpcException(Status status, Metadata trailers)
        : base(status.ToString())
    {
        Status = status;
        Trailers = trailers;
    }

    public RpcException(StatusCode code, string detail)
        : this(new Status(code, detail))
    {
    }

    /// <summary>A failure caused by another exception (a transport error, say), kept for diagnostics.</summary>
    public RpcException(Status status, Metadata trailers, Exception innerException)
        : base(status.ToString(), innerException)
    {
        Status = status;
        Trailers = trailers;
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public Metadata Trailers { get; }
}
