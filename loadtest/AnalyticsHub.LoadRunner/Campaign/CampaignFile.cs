using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>
/// A campaign file read into plain (key, value) pairs: the top-level options and one list per
/// stage. YAML (any extension but .json) or JSON. Scalars are kept as text (a flag's <c>false</c>
/// too, so a stage can switch off what the top level switched on); a list of scalars (several
/// query files) becomes one comma-separated value.
/// </summary>
internal sealed record CampaignFile(
    IReadOnlyList<KeyValuePair<string, string>> Options,
    IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Stages)
{
    public static CampaignFile Read(string path, string text) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(text) : FromYaml(text);

    private static CampaignFile FromYaml(string text)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("the file must hold one YAML mapping (options and a 'stages' list)");
        }

        var options = new List<KeyValuePair<string, string>>();
        var stages = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Key(keyNode);
            if (key == "stages")
            {
                if (value is not YamlSequenceNode sequence)
                {
                    throw new FormatException("'stages' must be a list of mappings");
                }

                foreach (var stage in sequence.Children)
                {
                    if (stage is not YamlMappingNode map)
                    {
                        throw new FormatException($"stage {stages.Count + 1} must be a mapping of options");
                    }

                    var pairs = new List<KeyValuePair<string, string>>();
                    foreach (var (stageKey, stageValue) in map.Children)
                    {
                        AddYaml(pairs, Key(stageKey), stageValue);
                    }

                    stages.Add(pairs);
                }
            }
            else
            {
                AddYaml(options, key, value);
            }
        }

        return new CampaignFile(options, stages);
    }

    private static string Key(YamlNode node) =>
        node is YamlScalarNode { Value: { } name } ? name : throw new FormatException($"a key must be a plain name, not '{node}'");

    private static void AddYaml(List<KeyValuePair<string, string>> pairs, string key, YamlNode value)
    {
        var text = value switch
        {
            YamlScalarNode { Value: { } scalar } => scalar,
            YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode { Value: not null }) =>
                string.Join(',', list.Children.Select(c => ((YamlScalarNode)c).Value)),
            _ => throw new FormatException($"'{key}' must be a scalar value or a list of them"),
        };
        Add(pairs, key, text);
    }

    private static CampaignFile FromJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the file must hold one JSON object (options and a 'stages' array)");
        }

        var options = new List<KeyValuePair<string, string>>();
        var stages = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "stages")
            {
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("'stages' must be an array of objects");
                }

                foreach (var stage in property.Value.EnumerateArray())
                {
                    if (stage.ValueKind != JsonValueKind.Object)
                    {
                        throw new FormatException($"stage {stages.Count + 1} must be an object of options");
                    }

                    var pairs = new List<KeyValuePair<string, string>>();
                    foreach (var option in stage.EnumerateObject())
                    {
                        Add(pairs, option.Name, JsonText(option.Name, option.Value));
                    }

                    stages.Add(pairs);
                }
            }
            else
            {
                Add(options, property.Name, JsonText(property.Name, property.Value));
            }
        }

        return new CampaignFile(options, stages);
    }

    private static string JsonText(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number) =>
            string.Join(',', value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
        _ => throw new FormatException($"'{key}' must be a string, number, boolean or a list of strings"),
    };

    private static void Add(List<KeyValuePair<string, string>> pairs, string key, string value) => pairs.Add(new(key.TrimStart('-'), value));
}
