using System.Globalization;

namespace AnalyticsHub.Cli.Forecasting;

/// <summary>Prints the evaluation table: per model the mean over series of sMAPE, MASE, coverage and MSIS, how many
/// series it forecast, and how often (and how heavily) the engine used it.</summary>
internal static class ModelScoreTable
{
    public static void Print(TextWriter output, IReadOnlyList<SeriesScores> perSeries, IReadOnlyList<string> models, string baseline)
    {
        output.WriteLine("model            series   sMAPE %    MASE  cover %     MSIS   member  weight");
        foreach (var model in models)
        {
            var rows = perSeries.Where(s => s.ByModel.ContainsKey(model)).Select(s => s.ByModel[model]).ToArray();
            if (rows.Length == 0)
            {
                continue;
            }
            var label = model == baseline ? model + " (base)" : model;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-16} {rows.Length,6} {Mean(rows, r => r.Measures.Smape),9:0.00} {Mean(rows, r => r.Measures.Mase),7:0.000} "
                + $"{100 * Mean(rows, r => r.Measures.Coverage),8:0.0} {Mean(rows, r => r.Measures.Msis),8:0.00} "
                + $"{rows.Count(r => r.Weight > 0),8} {Mean(rows, r => r.Weight),7:0.00}"));
        }
    }

    /// <summary>Mean over the series where the measure is defined (MASE and MSIS are not for a constant history).</summary>
    private static double Mean<T>(IEnumerable<T> rows, Func<T, double> measure)
    {
        var values = rows.Select(measure).Where(double.IsFinite).ToArray();
        return values.Length > 0 ? values.Average() : double.NaN;
    }
}
