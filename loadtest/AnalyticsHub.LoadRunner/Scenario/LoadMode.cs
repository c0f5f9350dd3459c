namespace AnalyticsHub.LoadRunner.Scenario;

/// <summary>How batches reach the hub.</summary>
public enum LoadMode
{
    /// <summary><c>EventIngestion.StreamEvents</c>: a duplex stream per sender, W batches in flight.</summary>
    GrpcStream,

    /// <summary><c>EventIngestion.IngestBatch</c>: one unary call per batch, W calls in flight per sender.</summary>
    GrpcUnary,

    /// <summary><c>POST /api/v1/events</c> with a JSON array per batch, W requests in flight per sender.</summary>
    Rest,
}
