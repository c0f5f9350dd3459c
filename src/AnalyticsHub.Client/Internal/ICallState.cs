using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>The parts of a call its public wrappers expose, independent of the request type.</summary>
internal interface ICallState : IDisposable
{
    Task<Metadata> GetResponseHeadersAsync();

    Status GetStatus();

    Metadata GetTrailers();
}
