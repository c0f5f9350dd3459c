using System.Text.Json;
using AnalyticsHub.Analytics.Forecasting.Scenarios;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Forecast;

/// <summary>Parses and validates a <c>POST /api/v1/forecast</c> body. Every problem found is reported with the field
/// it concerns and what to change; nothing is guessed (no NaN, no nulls, no unknown or repeated fields).</summary>
internal static class ForecastRequestReader
{
    public const int MaxPoints = SeriesJson.MaxPoints;
    public const int MaxHorizon = 2_000;
    public const int MinPoints = SeriesJson.MinPoints;
    private static readonly string[] Fields = ["timestamps", "values", "horizon", "level", "seasonal_periods", "models", "scenario", "budget", "cumulative"];

    public static Validated<ForecastRequest> Read(ReadOnlyMemory<byte> body, IReadOnlyList<string> knownModels) =>
        SeriesJson.ReadObject(body, "\"timestamps\", \"values\" and \"horizon\"", root =>
        {
            var errors = new List<QueryError>();
            var fields = SeriesJson.Fields(root, Fields, errors);
            var timestamps = SeriesJson.ReadTimestamps(fields, errors);
            var values = SeriesJson.ReadValues(fields, errors);
            var horizon = ReadHorizon(fields, errors);
            var level = ReadLevel(fields, errors);
            var models = ReadModels(fields, knownModels, errors);
            var budget = ReadBudget(fields, errors);
            if (errors.Count > 0)
            {
                return Validated<ForecastRequest>.Fail(errors);
            }
            CheckSeries(timestamps!, values!, horizon, errors);
            if (errors.Count > 0)
            {
                return Validated<ForecastRequest>.Fail(errors);
            }
            var periods = ReadSeasonalPeriods(fields, timestamps!, errors);
            var request = new ForecastRequest(timestamps!, values!, horizon, level, periods, models, null, budget);
            var scenario = ReadScenario(fields, request, errors);
            return errors.Count > 0 ? Validated<ForecastRequest>.Fail(errors) : Validated<ForecastRequest>.Ok(request with { Scenario = scenario });
        });

    private static int ReadHorizon(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!fields.TryGetValue("horizon", out var element))
        {
            errors.Add(new("horizon", "Required: the number of steps to forecast, e.g. 48."));
            return 0;
        }
        if (!element.TryGetInt32Strict(out var horizon) || horizon < 1 || horizon > MaxHorizon)
        {
            errors.Add(new("horizon", $"Expected a whole number of steps from 1 to {MaxHorizon:N0}."));
            return 0;
        }
        return horizon;
    }

    private static double ReadLevel(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!fields.TryGetValue("level", out var element))
        {
            return 0.95;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var level) || !(level >= 50 && level < 100))
        {
            errors.Add(new("level", "Expected the interval's coverage in percent, at least 50 and below 100 (e.g. 95)."));
            return 0.95;
        }
        return level / 100;
    }

    private static string[]? ReadModels(Dictionary<string, JsonElement> fields, IReadOnlyList<string> knownModels, List<QueryError> errors)
    {
        if (!fields.TryGetValue("models", out var array))
        {
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            errors.Add(new("models", "Expected a non-empty array of model names: " + string.Join(", ", knownModels) + "."));
            return null;
        }
        var models = new List<string>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (name is null || !knownModels.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new($"models[{i}]", "Unknown model; choose from " + string.Join(", ", knownModels) + "."));
            }
            else if (!models.Contains(name, StringComparer.Ordinal))
            {
                models.Add(name);
            }
            i++;
        }
        return [.. models];
    }

    private static BudgetRequest? ReadBudget(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        var cumulative = false;
        if (fields.TryGetValue("cumulative", out var flag))
        {
            if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add(new("cumulative", "Expected true (values are cumulative spend) or false (spend per step)."));
            }
            cumulative = flag.ValueKind == JsonValueKind.True;
        }
        if (!fields.TryGetValue("budget", out var element))
        {
            if (cumulative)
            {
                errors.Add(new("cumulative", "Only meaningful with \"budget\"; add a budget or drop it."));
            }
            return null;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var amount) || !double.IsFinite(amount) || amount <= 0)
        {
            errors.Add(new("budget", "Expected a positive number (the total spend allowed)."));
            return null;
        }
        return new BudgetRequest(amount, cumulative);
    }

    private static void CheckSeries(DateTimeOffset[] timestamps, double[] values, int horizon, List<QueryError> errors)
    {
        if (!SeriesJson.CheckPairs(timestamps, values, errors))
        {
            return;
        }
        if (horizon > values.Length)
        {
            errors.Add(new("horizon", $"{horizon} steps ahead is more than the {values.Length} points of history; forecast at most as far as the history reaches."));
        }
        var spacing = timestamps[1] - timestamps[0];
        for (var i = 1; i < timestamps.Length; i++)
        {
            var gap = timestamps[i] - timestamps[i - 1];
            if (gap != spacing)
            {
                errors.Add(new($"timestamps[{i}]", $"{gap} after the previous one where the series' spacing is {spacing}; send evenly spaced points (fill gaps first)."));
                return;
            }
        }
    }

    private static int[] ReadSeasonalPeriods(Dictionary<string, JsonElement> fields, DateTimeOffset[] timestamps, List<QueryError> errors)
    {
        if (!fields.TryGetValue("seasonal_periods", out var array))
        {
            return SeasonalPeriodInference.Infer(timestamps[1] - timestamps[0], timestamps.Length);
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new("seasonal_periods", "Expected an array of whole numbers of steps, e.g. [24, 168]; [] for none."));
            return [];
        }
        var periods = new SortedSet<int>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (!item.TryGetInt32Strict(out var period) || period < 2)
            {
                errors.Add(new($"seasonal_periods[{i}]", "Expected a whole number of steps, at least 2."));
            }
            else if (2 * period > timestamps.Length)
            {
                errors.Add(new($"seasonal_periods[{i}]", $"A period of {period} needs at least {2 * period} points to be seen twice; send more history or drop it."));
            }
            else
            {
                periods.Add(period);
            }
            i++;
        }
        return [.. periods];
    }

    private static ScenarioRequest? ReadScenario(Dictionary<string, JsonElement> fields, ForecastRequest request, List<QueryError> errors)
    {
        if (!fields.TryGetValue("scenario", out var scenario))
        {
            return null;
        }
        const string Shape = "Expected {\"name\": optional, \"adjustments\": [{\"type\": \"multiply\"|\"shift\", \"value\": number, \"from\": optional RFC 3339}]}.";
        if (scenario.ValueKind != JsonValueKind.Object || !scenario.TryGetProperty("adjustments", out var list)
            || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            errors.Add(new("scenario", Shape));
            return null;
        }
        var name = scenario.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
        var adjustments = new List<ScenarioAdjustment>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"scenario.adjustments[{i++}]";
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("value", out var valueElement) || valueElement.ValueKind != JsonValueKind.Number
                || !valueElement.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                errors.Add(new(field, Shape));
                continue;
            }
            AdjustmentKind? kind = type.GetString() switch
            {
                "multiply" => AdjustmentKind.Multiplier,
                "shift" => AdjustmentKind.LevelShift,
                _ => null,
            };
            if (kind is null)
            {
                errors.Add(new(field + ".type", "Expected \"multiply\" (e.g. 2 for traffic 2×, 0.8 for −20 %) or \"shift\" (added to each step)."));
                continue;
            }
            var fromStep = 0;
            if (item.TryGetProperty("from", out var from))
            {
                if (from.ValueKind != JsonValueKind.String || !SeriesJson.TryParseRfc3339(from.GetString()!, out var fromTime))
                {
                    errors.Add(new(field + ".from", "Expected an RFC 3339 date-time string."));
                    continue;
                }
                fromStep = FirstStepAtOrAfter(request, fromTime);
                if (fromStep >= request.Horizon)
                {
                    errors.Add(new(field + ".from", $"After the last forecast step ({Format(request.StepTime(request.Horizon - 1))}); choose a time within the horizon."));
                    continue;
                }
            }
            adjustments.Add(new ScenarioAdjustment(kind.Value, value, fromStep));
        }
        return new ScenarioRequest(name, [.. adjustments]);
    }

    private static int FirstStepAtOrAfter(ForecastRequest request, DateTimeOffset time)
    {
        var first = request.StepTime(0);
        if (time <= first)
        {
            return 0;
        }
        var steps = (time - first).Ticks / (double)request.Spacing.Ticks;
        return (int)Math.Min(Math.Ceiling(steps), int.MaxValue);
    }

    private static bool TryGetInt32Strict(this JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    internal static string Format(DateTimeOffset time) => SeriesJson.Format(time);
}
