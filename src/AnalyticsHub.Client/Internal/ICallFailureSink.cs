using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>What the request side of a call needs from the call: a way to fail it, and its outcome.</summary>
internal interface ICallFailureSink
{
    /// <summary>The token that is cancelled when the call ends with a non-OK status.</summary>
    CancellationToken CallCancellation { get; }

    /// <summary>Ends the call with the status <paramref name="exception"/> stands for, unless it has ended already.</summary>
    /// <returns>The exception for the call's final status.</returns>
    RpcException Fail(Exception exception);

    /// <summary>Cancels the call (CANCELLED), as the caller's token does.</summary>
    void Cancel();

    /// <summary>The call's final status, or null while it runs.</summary>
    Status? FinalStatus { get; }

    /// <summary>The exception for the call's final status; only when <see cref="FinalStatus"/> is not OK.</summary>
    RpcException CreateFinalException();
}
