using System.Collections.Concurrent;
using AnalyticsHub.Protocol.Server.Internal;
using Google.Protobuf.Reflection;

namespace AnalyticsHub.Protocol.Server;

/// <summary>
/// The services and methods the server routes to, keyed by <c>/package.Service/Method</c>.
/// Filled at startup; read on every call.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, ServerMethod> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServiceDescriptor?> _services = new(StringComparer.Ordinal);

    /// <summary>Starts registering a service. Pass its descriptor so reflection can describe it.</summary>
    public GrpcServiceBuilder AddService(string fullServiceName, ServiceDescriptor? descriptor = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullServiceName);
        if (descriptor is not null && descriptor.FullName != fullServiceName)
        {
            throw new ArgumentException($"Descriptor '{descriptor.FullName}' does not describe '{fullServiceName}'.", nameof(descriptor));
        }

        _services[fullServiceName] = descriptor;
        return new GrpcServiceBuilder(this, fullServiceName);
    }

    /// <summary>Registers a service from its descriptor; methods are then bound by name.</summary>
    public GrpcServiceBuilder AddService(ServiceDescriptor descriptor) => AddService(descriptor.FullName, descriptor);

    public IReadOnlyCollection<string> ServiceNames => [.. _services.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Descriptors of the registered services that have one (for reflection).</summary>
    public IEnumerable<ServiceDescriptor> ServiceDescriptors => _services.Values.OfType<ServiceDescriptor>();

    public bool HasService(string fullServiceName) => _services.ContainsKey(fullServiceName);

    internal bool TryGetMethod(string path, out ServerMethod method) => _methods.TryGetValue(path, out method!);

    internal void Add(ServerMethod method)
    {
        if (!_methods.TryAdd(method.Path, method))
        {
            throw new InvalidOperationException($"Method {method.Path} is already registered.");
        }
    }
}
