namespace AnalyticsHub.Protocol.Events;

/// <summary>Protobuf wire types (groups, 3 and 4, are not supported).</summary>
internal enum WireType : byte
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
