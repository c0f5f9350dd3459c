using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class GrpcProtocolTests
{
    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc;charset=utf-8")]
    [InlineData("application/grpc; charset=utf-8")]
    [InlineData("application/grpc+proto; charset=utf-8")]
    [InlineData("APPLICATION/GRPC")]
    [InlineData("Application/Grpc+Proto")]
    public void IsGrpcContentType_ServedTypes_AreAccepted(string contentType)
    {
        Assert.True(GrpcProtocol.IsGrpcContentType(contentType));
        Assert.True(GrpcProtocol.IsAnyGrpcContentType(contentType));
    }

    [Theory]
    [InlineData("application/grpc+json")]
    [InlineData("application/grpc+protobuf")]
    public void IsGrpcContentType_OtherGrpcVariants_AreRejectedButRecognised(string contentType)
    {
        Assert.False(GrpcProtocol.IsGrpcContentType(contentType));
        Assert.True(GrpcProtocol.IsAnyGrpcContentType(contentType)); // routed to us, answered 415
    }

    [Theory]
    [InlineData("application/grpcx")]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpc-web+proto")]
    [InlineData("application/grpc ")]
    public void IsGrpcContentType_LookalikeTypes_AreRejected(string contentType)
    {
        Assert.False(GrpcProtocol.IsGrpcContentType(contentType));
    }

    [Theory]
    [InlineData("application/grpcx")]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpc-web+proto")]
    [InlineData("application/grpc-web-text")]
    public void IsAnyGrpcContentType_LookalikeTypes_AreNotClaimed(string contentType)
    {
        // Not ours: such requests pass to the next middleware (a gRPC-Web proxy, say) instead of a 415.
        Assert.False(GrpcProtocol.IsAnyGrpcContentType(contentType));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/grp")]
    [InlineData("application/proto")]
    [InlineData("")]
    [InlineData(null)]
    public void IsGrpcContentType_NonGrpc_IsRejected(string? contentType)
    {
        Assert.False(GrpcProtocol.IsGrpcContentType(contentType));
        Assert.False(GrpcProtocol.IsAnyGrpcContentType(contentType));
    }
}
