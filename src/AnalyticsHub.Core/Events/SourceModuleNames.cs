namespace AnalyticsHub.Core.Events;

/// <summary>
/// Source modules by name, as JSON bodies, configuration keys and query parameters spell them:
/// case-insensitive, '-' and '_' ignored, "llm" optional — <c>llm-policy-engine</c>,
/// <c>LLM_POLICY_ENGINE</c>, <c>LlmPolicyEngine</c> and <c>policy-engine</c> are one module.
/// </summary>
public static class SourceModuleNames
{
    /// <summary>The canonical names, for error messages.</summary>
    public const string Known = "llm-observatory, llm-sentinel, llm-costops, llm-governance, llm-registry, llm-policy-engine";

    private const int MaxLength = 64;

    /// <summary>The module <paramref name="text"/> names; <c>SOURCE_MODULE_UNSPECIFIED</c> names <see cref="SourceModule.Unspecified"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out SourceModule module)
    {
        module = SourceModule.Unspecified;
        Span<byte> folded = stackalloc byte[MaxLength];
        var length = 0;
        foreach (var c in text)
        {
            if (c is (byte)'-' or (byte)'_')
            {
                continue;
            }

            if (length == folded.Length)
            {
                return false;
            }

            folded[length++] = (byte)(c is >= (byte)'A' and <= (byte)'Z' ? c | 0x20 : c);
        }

        ReadOnlySpan<byte> name = folded[..length];
        if (name.StartsWith("llm"u8))
        {
            name = name[3..];
        }

        module = name switch
        {
            _ when name.SequenceEqual("observatory"u8) => SourceModule.LlmObservatory,
            _ when name.SequenceEqual("sentinel"u8) => SourceModule.LlmSentinel,
            _ when name.SequenceEqual("costops"u8) => SourceModule.LlmCostOps,
            _ when name.SequenceEqual("governance"u8) => SourceModule.LlmGovernance,
            _ when name.SequenceEqual("registry"u8) => SourceModule.LlmRegistry,
            _ when name.SequenceEqual("policyengine"u8) => SourceModule.LlmPolicyEngine,
            _ => SourceModule.Unspecified,
        };
        return module != SourceModule.Unspecified || name.SequenceEqual("sourcemoduleunspecified"u8);
    }

    /// <summary><see cref="TryParse(ReadOnlySpan{byte}, out SourceModule)"/> for text; only real modules (never Unspecified).</summary>
    public static bool TryParseModule(string text, out SourceModule module)
    {
        module = SourceModule.Unspecified;
        return text.Length <= MaxLength * 2
            && TryParse(System.Text.Encoding.UTF8.GetBytes(text), out module)
            && module != SourceModule.Unspecified;
    }

    /// <summary>The canonical name (<c>llm-observatory</c> …); empty for Unspecified or unknown values.</summary>
    public static string Name(SourceModule module) => module switch
    {
        SourceModule.LlmObservatory => "llm-observatory",
        SourceModule.LlmSentinel => "llm-sentinel",
        SourceModule.LlmCostOps => "llm-costops",
        SourceModule.LlmGovernance => "llm-governance",
        SourceModule.LlmRegistry => "llm-registry",
        SourceModule.LlmPolicyEngine => "llm-policy-engine",
        _ => "",
    };
}
