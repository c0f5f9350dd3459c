namespace AnalyticsHub.LoadRunner.Scenario;

/// <summary>How batches reach the hub (or, for <see cref="Query"/>, what the run asks it).</summary>
public enum LoadMode
{
    /// <summary><c>EventIngestion.StreamEvents</c>: a duplex stream per sender, W batches in flight.</summary>
    GrpcStream,

    /// <summary><c>EventIngestion.IngestBatch</c>: one unary call per batch, W calls in flight per sender.</summary>
    GrpcUnary,

    /// <summary><c>POST /api/v1/events</c> with a JSON array per batch, W requests in flight per sender.</summary>
    Rest,

    /// <summary><c>POST /api/v1/query</c>: closed-loop clients asking a query and waiting for the whole answer.</summary>
    Query,
}
