using AnalyticsHub.Protocol.Grpc;
using Grpc.Testing;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>grpc.testing.TestService (gRPC interop spec) as client method descriptors.</summary>
internal static class TestServiceMethods
{
    private const string Service = "grpc.testing.TestService";

    public static readonly Method<Empty, Empty> EmptyCall =
        Method.Protobuf<Empty, Empty>(MethodType.Unary, Service, "EmptyCall");

    public static readonly Method<SimpleRequest, SimpleResponse> UnaryCall =
        Method.Protobuf<SimpleRequest, SimpleResponse>(MethodType.Unary, Service, "UnaryCall");

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> StreamingOutputCall =
        Method.Protobuf<StreamingOutputCallRequest, StreamingOutputCallResponse>(MethodType.ServerStreaming, Service, "StreamingOutputCall");

    public static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCall =
        Method.Protobuf<StreamingInputCallRequest, StreamingInputCallResponse>(MethodType.ClientStreaming, Service, "StreamingInputCall");

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> FullDuplexCall =
        Method.Protobuf<StreamingOutputCallRequest, StreamingOutputCallResponse>(MethodType.DuplexStreaming, Service, "FullDuplexCall");

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> HalfDuplexCall =
        Method.Protobuf<StreamingOutputCallRequest, StreamingOutputCallResponse>(MethodType.DuplexStreaming, Service, "HalfDuplexCall");

    public static readonly Method<Empty, Empty> UnimplementedCall =
        Method.Protobuf<Empty, Empty>(MethodType.Unary, Service, "UnimplementedCall");

    public static readonly Method<Empty, Empty> UnimplementedServiceCall =
        Method.Protobuf<Empty, Empty>(MethodType.Unary, "grpc.testing.UnimplementedService", "UnimplementedCall");
}
