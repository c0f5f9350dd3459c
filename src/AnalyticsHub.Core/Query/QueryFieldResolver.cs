using System.Diagnostics.CodeAnalysis;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Resolves a field name from a filter, group_by or order_by into a <see cref="QueryField"/>:
/// <list type="bullet">
/// <item><c>source_module</c>, <c>event_type</c>, <c>severity</c>, <c>environment</c>, <c>asset_id</c>,
/// <c>event_id</c>, <c>correlation_id</c>, <c>parent_event_id</c>: that kind;</item>
/// <item>a series tag (<c>model</c>, see <see cref="SeriesDimensions"/>) or <c>tags.model</c>: <see cref="FieldKind.SeriesTag"/> named <c>model</c>;</item>
/// <item><c>tags.KEY</c> for any other key: <see cref="FieldKind.Tag"/> named <c>tags.KEY</c>;</item>
/// <item><c>payload.dimensions.KEY</c> (or attribution, details, attributes, fields — the payload's one map):
/// <see cref="FieldKind.PayloadDimension"/> named <c>payload.dimensions.KEY</c>;</item>
/// <item><c>payload.NAME</c>: <see cref="FieldKind.Payload"/>.</item>
/// </list>
/// Fixed names and the <c>tags.</c>/<c>payload.</c> prefixes match ASCII-case-insensitively; keys
/// are case-sensitive (1–128 characters, no control characters). <c>tenant_id</c> is not a field:
/// every query names its tenant at the top level.
/// </summary>
public sealed class QueryFieldResolver
{
    public const int MaxKeyLength = 128;

    private static readonly (string Name, FieldKind Kind)[] Fixed =
    [
        ("source_module", FieldKind.SourceModule),
        ("event_type", FieldKind.EventType),
        ("severity", FieldKind.Severity),
        ("environment", FieldKind.Environment),
        ("asset_id", FieldKind.AssetId),
        ("event_id", FieldKind.EventId),
        ("correlation_id", FieldKind.CorrelationId),
        ("parent_event_id", FieldKind.ParentEventId),
    ];

    private static readonly string[] PayloadMaps = ["dimensions", "attribution", "details", "attributes", "fields"];

    private readonly SeriesDimensions _dimensions;

    public QueryFieldResolver(SeriesDimensions dimensions)
    {
        _dimensions = dimensions;
        Known = string.Join(", ", Fixed.Select(f => f.Name).Concat(dimensions.Tags))
            + ", tags.<key>, payload.<name>, payload.dimensions.<key>";
    }

    /// <summary>The names a field may take, for messages.</summary>
    public string Known { get; }

    /// <summary>The field <paramref name="text"/> names, or a message saying what is wrong with it.</summary>
    public bool TryResolve(string? text, out QueryField field, [NotNullWhen(false)] out string? error)
    {
        field = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = $"a field name is required; use one of {Known}";
            return false;
        }

        if (text.Length > MaxKeyLength + 32 || QueryNames.HasControl(text))
        {
            error = $"field {QueryNames.Quote(text)} is not a field name (at most {MaxKeyLength} characters after its prefix, no control characters); use one of {Known}";
            return false;
        }

        foreach (var (name, kind) in Fixed)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                field = new QueryField(kind, name, "");
                return true;
            }
        }

        if (string.Equals(text, "tenant_id", StringComparison.OrdinalIgnoreCase))
        {
            error = "tenant_id is not a field: every query is scoped to one tenant; set the top-level tenant_id instead";
            return false;
        }

        if (text.StartsWith("tags.", StringComparison.OrdinalIgnoreCase))
        {
            var key = text[5..];
            if (!CheckKey(text, key, "tags.<key>", out error))
            {
                return false;
            }

            field = _dimensions.IsTag(key) ? new QueryField(FieldKind.SeriesTag, key, key) : new QueryField(FieldKind.Tag, "tags." + key, key);
            return true;
        }

        if (text.StartsWith("payload.", StringComparison.OrdinalIgnoreCase))
        {
            return TryResolvePayload(text, text[8..], out field, out error);
        }

        if (_dimensions.IsTag(text))
        {
            field = new QueryField(FieldKind.SeriesTag, text, text);
            return true;
        }

        error = $"unknown field {QueryNames.Quote(text)}; use one of {Known}";
        return false;
    }

    private static bool TryResolvePayload(string text, string rest, out QueryField field, [NotNullWhen(false)] out string? error)
    {
        field = default;
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var head = dot < 0 ? rest : rest[..dot];
        if (PayloadMaps.Contains(head, StringComparer.OrdinalIgnoreCase))
        {
            if (dot < 0)
            {
                error = $"field {QueryNames.Quote(text)} names the payload's map; name one key of it: payload.{head}.<key>";
                return false;
            }

            var key = rest[(dot + 1)..];
            if (!CheckKey(text, key, "payload.dimensions.<key>", out error))
            {
                return false;
            }

            field = new QueryField(FieldKind.PayloadDimension, "payload.dimensions." + key, key);
            return true;
        }

        if (dot >= 0)
        {
            error = $"field {QueryNames.Quote(text)} is too deep: payload fields are payload.<name> (metric_name, amount …) or a key of the payload's map, payload.dimensions.<key>";
            return false;
        }

        if (!CheckKey(text, rest, "payload.<name>", out error))
        {
            return false;
        }

        field = new QueryField(FieldKind.Payload, "payload." + rest, rest);
        return true;
    }

    private static bool CheckKey(string text, string key, string form, [NotNullWhen(false)] out string? error)
    {
        error = key.Length switch
        {
            0 => $"field {QueryNames.Quote(text)} has no key; write {form}",
            > MaxKeyLength => $"field {QueryNames.Quote(text)} has a key of {key.Length} characters; keys are at most {MaxKeyLength}",
            _ => null,
        };
        return error is null;
    }
}
