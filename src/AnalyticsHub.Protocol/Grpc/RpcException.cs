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

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public Metadata Trailers { get; }
}
