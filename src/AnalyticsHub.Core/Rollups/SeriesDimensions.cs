namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// Which tags become rollup series dimensions, and where an event's value for each is found.
/// Low- and medium-cardinality only (ARCHITECTURE.md): the top-level source_module, event_type,
/// severity, environment and asset_id, plus the tag keys below and configured ones. A tag's value
/// is the first present of its <see cref="Candidates"/>: the event's tags map, then the payload's
/// map (telemetry dimensions, cost attribution …), each under its name and then its aliases.
/// The store path of a query applies the same rule in SQL, so both paths group alike.
/// </summary>
public sealed class SeriesDimensions
{
    /// <summary>Tag dimensions every hub has.</summary>
    public static readonly IReadOnlyList<string> BuiltInTags = ["region", "model", "service", "version"];

    /// <summary>Never dimensions, whatever the configuration says: one value per event or user.</summary>
    public static readonly IReadOnlySet<string> HighCardinality = new HashSet<string>(StringComparer.Ordinal)
    {
        "event_id", "request_id", "user_id", "session_id", "trace_id", "span_id", "correlation_id", "parent_event_id",
    };

    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.Ordinal)
    {
        ["model"] = ["model_id"],
        ["service"] = ["service_name"],
        ["version"] = ["model_version"],
    };

    private readonly Dictionary<string, TagCandidate[]> _candidates = new(StringComparer.Ordinal);

    /// <param name="configured">Extra tag keys (Hub:Rollups:Dimensions); high-cardinality names are refused.</param>
    public SeriesDimensions(IEnumerable<string>? configured = null)
    {
        var tags = new List<string>(BuiltInTags);
        foreach (var key in configured ?? [])
        {
            if (string.IsNullOrWhiteSpace(key) || HighCardinality.Contains(key))
            {
                throw new ArgumentException($"'{key}' cannot be a rollup dimension: it is empty or high-cardinality (one value per event or user).", nameof(configured));
            }
            if (!tags.Contains(key, StringComparer.Ordinal))
            {
                tags.Add(key);
            }
        }

        Tags = tags;
        foreach (var tag in tags)
        {
            var names = new List<string> { tag };
            names.AddRange(Aliases.GetValueOrDefault(tag) ?? []);
            var candidates = new List<TagCandidate>();
            candidates.AddRange(names.Select(n => new TagCandidate(TagSource.Tags, n)));
            candidates.AddRange(names.Select(n => new TagCandidate(TagSource.PayloadMap, n)));
            _candidates[tag] = [.. candidates];
        }
    }

    /// <summary>The tag dimensions in series-key order: built-in first, then configured.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>True when <paramref name="name"/> is one of <see cref="Tags"/>.</summary>
    public bool IsTag(string name) => _candidates.ContainsKey(name);

    /// <summary>Where to look for tag dimension <paramref name="tag"/>, first match wins.</summary>
    public IReadOnlyList<TagCandidate> Candidates(string tag) => _candidates[tag];
}

/// <summary>Where a tag dimension's value may be found.</summary>
public enum TagSource : byte
{
    /// <summary>The event's <c>tags</c> map.</summary>
    Tags,

    /// <summary>The payload's map (telemetry dimensions, cost attribution, security/governance/policy details, metadata attributes, custom fields).</summary>
    PayloadMap,
}

/// <summary>One place to look: a key of the tags map or of the payload's map.</summary>
public readonly record struct TagCandidate(TagSource Source, string Key);
