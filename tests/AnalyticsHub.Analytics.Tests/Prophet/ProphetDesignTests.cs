using AnalyticsHub.Analytics.Forecasting.Prophet;

namespace AnalyticsHub.Analytics.Tests.Prophet;

public sealed class ProphetDesignTests
{
    [Fact]
    public void Changepoints_AreSpreadOverTheFirstPartOfTheHistory_OnTheScaledTimeAxis()
    {
        // n = 11, 80 %: span ⌊8.8⌋ − 1 = 7; indices round(j·7/4) = 1.75, 3.5, 5.25, 7 → 2, 4, 5, 7; t = i / 10.
        var design = new ProphetDesign(11, 4, 0.8, [], []);
        double[] expected = [0.2, 0.4, 0.5, 0.7];
        Assert.Equal(expected.Length, design.Changepoints.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], design.Changepoints[j], 12);
        }
        Assert.Equal(2 + 4, design.ColumnCount);
    }

    [Fact]
    public void Row_HoldsTrend_Hinges_Fourier_AndEvents_InOrder()
    {
        // Period 4, order 2: harmonic 1 has sin and cos, harmonic 2 is the Nyquist frequency (cosine only).
        var design = new ProphetDesign(11, 4, 0.8, FourierTerm.For([4], _ => 2), [new EventWindow(5, 2)]);
        Assert.Equal(2 + 4 + 3 + 1, design.ColumnCount);
        Assert.Equal(6, design.FourierStart);
        Assert.Equal(9, design.EventStart);

        var row = new double[design.ColumnCount];
        design.FillRow(6, row);
        // t = 0.6; hinges 0.6 − (0.2, 0.4, 0.5, 0.7)⁺; sin(3π) = 0, cos(3π) = −1, cos(6π) = 1; index 6 is in [5, 7).
        double[] expected = [1, 0.6, 0.4, 0.2, 0.1, 0, 0, -1, 1, 1];
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], row[k], 12);
        }

        design.FillRow(13, row);
        // Past the end (t = 1.3) the hinges keep growing linearly; sin(2π·13/4) = 1, cos = 0, cos(13π) = −1.
        expected = [1, 1.3, 1.1, 0.9, 0.8, 0.6, 1, 0, -1, 0];
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], row[k], 12);
        }
    }

    [Fact]
    public void FourierTerms_DropAWeeklyHarmonicThatRepeatsADailyOne()
    {
        var terms = FourierTerm.For([24, 168], _ => 10);
        // The 7th weekly harmonic (period 24) is the daily fundamental: 10 daily + 9 weekly harmonics remain.
        Assert.Equal(19, terms.Length);
        Assert.DoesNotContain(new FourierTerm(168, 7), terms);
        Assert.Contains(new FourierTerm(168, 8), terms);
    }

    [Fact]
    public void FourierOrder_DefaultsToTen_MoreForLongPeriods_CappedAtHalfThePeriod()
    {
        var options = new ProphetOptions();
        Assert.Equal(10, options.FourierOrder(24));
        Assert.Equal(28, options.FourierOrder(168));
        Assert.Equal(3, options.FourierOrder(7));
        Assert.Equal(5, (options with { FourierOrders = new Dictionary<int, int> { [168] = 5 } }).FourierOrder(168));
    }

    [Fact]
    public void Cholesky_SolvesASmallSymmetricSystem()
    {
        // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = (1, −1, 2) ⇒ b = A·x = (2, −1, 5). Only the lower triangle is read.
        double[] a = [4, double.NaN, double.NaN, 2, 5, double.NaN, 0, 1, 3];
        double[] x = [2, -1, 5];
        Assert.True(Cholesky.Factor(a, 3));
        Cholesky.Solve(a, 3, x);
        Assert.Equal(1, x[0], 12);
        Assert.Equal(-1, x[1], 12);
        Assert.Equal(2, x[2], 12);
        Assert.False(Cholesky.Factor([1, 0, 2, 1], 2));
    }
}
