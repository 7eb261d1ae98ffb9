using NuPlanBus.Domain.Numerics;
using NuPlanBus.Metrics.Numerics;

namespace NuPlanBus.Metrics.Tests;

public class SavitzkyGolayTests
{
    [Fact]
    public void Matches_scipy_documentation_example_in_interp_mode()
    {
        double[] x = [2, 2, 5, 2, 1, 0, 1, 4, 9];
        double[] expected = [1.65714286, 3.17142857, 3.54285714, 2.85714286, 0.65714286, 0.17142857, 1.0, 4.0, 9.0];

        var y = SavitzkyGolay.Filter(x, windowLength: 5, polyOrder: 2);

        AssertClose(expected, y, 1e-8);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void First_derivative_of_a_quadratic_is_exact_at_the_evaluation_position(int window)
    {
        // Odd windows evaluate at the sample itself; even windows' interior outputs evaluate half a sample
        // later (scipy's convolution origin), while the edge outputs stay at their own samples.
        const double delta = 0.1;
        var n = 12;
        var half = window / 2;
        var x = new double[n];
        var expected = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = i * delta;
            x[i] = 3 * t * t - 2 * t + 1;
            var interior = i >= half && i <= n - 1 - half;
            var shift = window % 2 == 0 && interior ? 0.5 * delta : 0.0;
            expected[i] = 6 * (t + shift) - 2;
        }

        var d = SavitzkyGolay.Filter(x, window, polyOrder: 2, deriv: 1, delta: delta);

        AssertClose(expected, d, 1e-9);
    }

    [Fact]
    public void Second_derivative_of_a_cubic_is_exact()
    {
        var x = new double[9];
        var expected = new double[9];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i * i * i - 4.0 * i * i;
            expected[i] = 6.0 * i - 8.0;
        }

        var d = SavitzkyGolay.Filter(x, 5, polyOrder: 3, deriv: 2);

        AssertClose(expected, d, 1e-9);
    }

    [Fact]
    public void Even_window_is_centred_half_a_sample_after_the_output()
    {
        // A line fitted to four samples of j² and evaluated at the window centre is the window mean. Interior
        // outputs 2 and 3 use samples [1..4] and [2..5]; the edges come from the lines through 0..3 and 2..5.
        double[] x = [0, 1, 4, 9, 16, 25];

        var y = SavitzkyGolay.Filter(x, windowLength: 4, polyOrder: 1);

        AssertClose([-1, 2, 7.5, 13.5, 17, 24], y, 1e-12);
    }

    [Fact]
    public void Window_equal_to_length_uses_the_single_global_fit()
    {
        double[] x = [1, 3, 2, 5];

        var y = SavitzkyGolay.Filter(x, windowLength: 4, polyOrder: 1);

        // Least-squares line through (0,1) (1,3) (2,2) (3,5): slope 1.1, intercept 1.1.
        AssertClose([1.1, 2.2, 3.3, 4.4], y, 1e-12);
    }

    [Fact]
    public void Derivative_above_the_polynomial_order_is_zero()
    {
        var d = SavitzkyGolay.Filter([1.0, 4, 2, 8, 5], 5, polyOrder: 1, deriv: 2);

        Assert.All(d, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Rejects_polyorder_not_below_window_and_window_longer_than_series()
    {
        Assert.Throws<ArgumentException>(() => SavitzkyGolay.Filter([1.0, 2.0], 2, polyOrder: 2));
        Assert.Throws<ArgumentException>(() => SavitzkyGolay.Filter([1.0, 2.0, 3.0], 5, polyOrder: 2));
    }

    internal static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
