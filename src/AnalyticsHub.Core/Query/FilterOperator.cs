namespace AnalyticsHub.Core.Query;

/// <summary>A filter's comparison, as queries spell it (<c>eq</c>, <c>neq</c>, <c>in</c>, <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c>, <c>contains</c>).</summary>
public enum FilterOperator : byte
{
    Eq,
    Neq,
    In,
    Gt,
    Gte,
    Lt,
    Lte,
    /// <summary>Substring, case-sensitive, on the field's text.</summary>
    Contains,
}
