namespace AnalyticsHub.Core.Query;

/// <summary>A query's tenant: <c>default</c> when none is given, else 1–128 characters of [A-Za-z0-9._-].</summary>
internal static class TenantRule
{
    public const string Default = "default";
    public const int MaxLength = 128;

    public static string Resolve(string? tenantId, string path, List<QueryError> errors)
    {
        if (string.IsNullOrEmpty(tenantId))
        {
            return Default;
        }

        if (tenantId.Length > MaxLength || tenantId.AsSpan().ContainsAnyExcept(Allowed))
        {
            errors.Add(new(path, $"tenant_id {QueryNames.Quote(tenantId)} is not a tenant id; use 1–{MaxLength} characters of A–Z, a–z, 0–9, '.', '_' and '-' (or omit it for 'default')"));
        }

        return tenantId;
    }

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
}
