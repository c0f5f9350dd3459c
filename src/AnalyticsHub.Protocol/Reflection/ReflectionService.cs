using AnalyticsHub.Protocol.Server;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace AnalyticsHub.Protocol.Reflection;

/// <summary>
/// gRPC server reflection, <c>grpc.reflection.v1</c> and <c>v1alpha</c>, so grpcurl, grpcui and
/// Postman can list services and fetch their descriptors. The two versions have identical wire
/// formats, so one implementation over the v1 messages serves both.
/// </summary>
public sealed class ReflectionService(GrpcServiceRegistry registry)
{
    public const string V1ServiceName = "grpc.reflection.v1.ServerReflection";
    public const string V1AlphaServiceName = "grpc.reflection.v1alpha.ServerReflection";

    private SymbolIndex? _index;

    public void Register()
    {
        registry.AddService(global::Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>("ServerReflectionInfo", ServeAsync);
        registry.AddService(global::Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>("ServerReflectionInfo", ServeAsync);
    }

    private async Task ServeAsync(
        IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        // Services are all registered before the server starts; build the index once, on first use.
        var index = _index ??= SymbolIndex.Build(registry.ServiceDescriptors);
        while (await requests.MoveNextAsync().ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(index, requests.Current)).ConfigureAwait(false);
        }
    }

    private ServerReflectionResponse Answer(SymbolIndex index, ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(registry.ServiceNames.Select(name => new ServiceResponse { Name = name }));
                response.ListServicesResponse = list;
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFiles(response, index.FindFile(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFiles(response, index.FindFileContainingSymbol(request.FileContainingSymbol), $"Symbol not found: {request.FileContainingSymbol}");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFiles(
                    response,
                    index.FindFileContainingExtension(extension.ContainingType, extension.ExtensionNumber),
                    $"Extension not found: {extension.ContainingType}({extension.ExtensionNumber})");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.FindMessage(request.AllExtensionNumbersOfType) is { } message)
                {
                    var numbers = new ExtensionNumberResponse { BaseTypeName = message.FullName };
                    numbers.ExtensionNumber.AddRange(index.ExtensionNumbersOf(message.FullName));
                    response.AllExtensionNumbersResponse = numbers;
                }
                else
                {
                    SetError(response, Grpc.StatusCode.NotFound, $"Type not found: {request.AllExtensionNumbersOfType}");
                }

                break;

            default:
                SetError(response, Grpc.StatusCode.InvalidArgument, "The request names no reflection query.");
                break;
        }

        return response;
    }

    private static void SetFiles(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, Grpc.StatusCode.NotFound, notFound);
            return;
        }

        // The file and everything it imports, so a client needs no follow-up file_by_filename requests.
        var files = new FileDescriptorResponse();
        foreach (var each in SymbolIndex.WithDependencies(file))
        {
            files.FileDescriptorProto.Add(each.SerializedData);
        }

        response.FileDescriptorResponse = files;
    }

    private static void SetError(ServerReflectionResponse response, Grpc.StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
}
