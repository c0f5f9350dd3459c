namespace AnalyticsHub.Core.Query;

/// <summary>A free-text name or id a query passes through (metric, correlation_id): 1–N characters without control characters.</summary>
internal static class NameRule
{
    /// <summary>Adds an error at <paramref name="path"/> unless non-empty <paramref name="text"/> fits; <paramref name="kind"/> says what it should have been ("a metric name").</summary>
    public static void Check(string text, int maxLength, string path, string kind, List<QueryError> errors)
    {
        if (text.Length > maxLength || QueryNames.HasControl(text))
        {
            errors.Add(new(path, $"{path} {QueryNames.Quote(text)} is not {kind}; use 1–{maxLength} characters without control characters"));
        }
    }
}
