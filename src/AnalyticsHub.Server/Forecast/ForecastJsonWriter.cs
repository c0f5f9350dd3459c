using System.Buffers;
using System.Text.Json;
using AnalyticsHub.Analytics.Forecasting.Scenarios;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Forecast;

/// <summary>Writes a forecast in the hub's answer shape, <c>{"status", "data", "error", "meta"}</c> (errors go through
/// <see cref="Query.QueryJsonWriter.WriteError"/>). Numbers that are not finite are written as null.</summary>
internal static class ForecastJsonWriter
{
    public static void Write(IBufferWriter<byte> output, ForecastAnswer answer, double tookMs)
    {
        var request = answer.Request;
        using var json = new Utf8JsonWriter(output, HubJsonWriter.Options);
        json.WriteStartObject();
        json.WriteString("status", "success");
        json.WriteStartObject("data");

        json.WriteStartArray("points");
        for (var step = 0; step < request.Horizon; step++)
        {
            json.WriteStartObject();
            json.WriteString("timestamp", ForecastRequestReader.Format(request.StepTime(step)));
            json.WriteNumberOrNull("value", answer.Forecast.Point[step]);
            json.WriteNumberOrNull("lower", answer.Forecast.Lower[step]);
            json.WriteNumberOrNull("upper", answer.Forecast.Upper[step]);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteNumber("level", Math.Round(request.Level * 100, 6));
        json.WriteStartArray("seasonal_periods");
        foreach (var period in request.SeasonalPeriods)
        {
            json.WriteNumberValue(period);
        }
        json.WriteEndArray();
        json.WriteString("description", answer.Engine.Description);
        json.WriteNumberOrNull("interval_scale", answer.Engine.IntervalScale);
        json.WriteStartArray("models");
        foreach (var candidate in answer.Engine.Candidates)
        {
            json.WriteStartObject();
            json.WriteString("name", candidate.Name);
            if (candidate.Forecast is { } forecast)
            {
                json.WriteString("form", forecast.Model);
            }
            else
            {
                json.WriteNull("form");
            }
            json.WriteNumberOrNull("weight", candidate.Weight);
            json.WriteNumberOrNull("validation_smape", candidate.ValidationSmape);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        if (answer.Scenario is { } scenario)
        {
            WriteScenario(json, request, scenario);
        }
        if (answer.Budget is { } budget)
        {
            WriteBudget(json, request, budget);
        }
        json.WriteEndObject();

        json.WriteNull("error");
        json.WriteStartObject("meta");
        json.WriteNumber("execution_time_ms", Math.Round(tookMs, 3));
        json.WriteNumber("row_count", request.Horizon);
        json.WriteBoolean("cached", false);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteScenario(Utf8JsonWriter json, ForecastRequest request, ScenarioForecast scenario)
    {
        json.WriteStartObject("scenario");
        if (request.Scenario?.Name is { } name)
        {
            json.WriteString("name", name);
        }
        json.WriteStartArray("points");
        for (var step = 0; step < request.Horizon; step++)
        {
            json.WriteStartObject();
            json.WriteString("timestamp", ForecastRequestReader.Format(request.StepTime(step)));
            json.WriteNumberOrNull("baseline", scenario.Baseline.Point[step]);
            json.WriteNumberOrNull("value", scenario.Scenario.Point[step]);
            json.WriteNumberOrNull("lower", scenario.Scenario.Lower[step]);
            json.WriteNumberOrNull("upper", scenario.Scenario.Upper[step]);
            json.WriteNumberOrNull("difference", scenario.DifferenceAt(step));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumberOrNull("total_difference", scenario.TotalDifference);
        json.WriteEndObject();
    }

    private static void WriteBudget(Utf8JsonWriter json, ForecastRequest request, BudgetAnswer budget)
    {
        json.WriteStartObject("budget");
        json.WriteNumberOrNull("amount", budget.Amount);
        json.WriteNumberOrNull("spent", budget.Spent);
        WriteCrossing(json, request, budget.Baseline);
        if (budget.Scenario is { } scenario)
        {
            json.WriteStartObject("scenario");
            WriteCrossing(json, request, scenario);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>The step's timestamp, or null for "not within the horizon"; an exhausted budget has no date.</summary>
    private static void WriteCrossing(Utf8JsonWriter json, ForecastRequest request, BudgetCrossing crossing)
    {
        json.WriteBoolean("already_exceeded", crossing.AlreadyExceeded);
        json.WriteBoolean("within_horizon", crossing.Expected is not null && !crossing.AlreadyExceeded);
        Time(json, "expected", crossing.AlreadyExceeded ? null : crossing.Expected);
        Time(json, "earliest", crossing.AlreadyExceeded ? null : crossing.Earliest);
        Time(json, "latest", crossing.AlreadyExceeded ? null : crossing.Latest);

        void Time(Utf8JsonWriter writer, string name, int? step)
        {
            if (step is { } s)
            {
                writer.WriteString(name, ForecastRequestReader.Format(request.StepTime(s - 1)));
            }
            else
            {
                writer.WriteNull(name);
            }
        }
    }
}
