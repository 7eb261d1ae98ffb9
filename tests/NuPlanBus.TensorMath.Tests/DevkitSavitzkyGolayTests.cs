using NuPlanBus.Domain.Numerics;
using static NuPlanBus.TensorMath.Tests.TestTensors;
using static TorchSharp.torch;

namespace NuPlanBus.TensorMath.Tests;

/// <summary>The devkit's approximate_derivatives_tensor and its window-3 filter (docs/nuplan-runtime.md §6.1–6.2).</summary>
public class DevkitSavitzkyGolayTests
{
    private const double Tol = 1e-12;

    [Fact]
    public void Linear_series_has_unit_slope_everywhere()
    {
        using var y = Row(1, 2, 3, 4, 5);
        using var x = Vector(1, 2, 3, 4, 5);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        AssertClose([1, 1, 1, 1, 1], d, Tol);
    }

    [Fact]
    public void Squares_give_central_differences_inside_and_one_sided_differences_at_the_edges()
    {
        using var y = Row(0, 1, 4, 9, 16);
        using var x = Vector(0, 1, 2, 3, 4);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        AssertClose([1, 2, 4, 6, 7], d, Tol);
    }

    [Fact]
    public void Edges_are_not_divided_by_delta()
    {
        using var y = Row(0, 1, 2, 3, 4);
        using var x = Vector(0, 0.5, 1, 1.5, 2);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        AssertClose([1, 2, 2, 2, 1], d, Tol);
    }

    [Fact]
    public void Small_spacing_example()
    {
        using var y = Row(0, 0.1, 0.4, 0.9);
        using var x = Vector(0, 0.1, 0.2, 0.3);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        AssertClose([0.1, 2, 4, 0.5], d, 1e-12);
    }

    [Fact]
    public void Irregular_x_uses_the_mean_spacing()
    {
        using var y = Row(0, 1, 3, 6);
        using var x = Vector(0, 1, 3, 6);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        AssertClose([1, 0.75, 1.25, 3], d, Tol);
    }

    [Fact]
    public void Rows_are_independent_series()
    {
        using var y = Rows([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]);
        using var x = Vector(0, 2, 4, 6, 8);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        Assert.Equal([2L, 5L], d.shape);
        AssertClose([1, 0.5, 0.5, 0.5, 1, -1, -0.5, -0.5, -0.5, -1], d, Tol);
    }

    [Fact]
    public void Second_derivative_keeps_first_difference_edges()
    {
        using var y = Row(0, 1, 4, 9, 16);
        using var x = Vector(0, 1, 2, 3, 4);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3, derivOrder: 2);
        AssertClose([1, 2, 2, 2, 7], d, Tol);
    }

    [Fact]
    public void Smoothing_with_a_quadratic_returns_the_samples_inside()
    {
        using var y = Row(0, 1, 4, 9, 16);
        using var x = Vector(0, 1, 2, 3, 4);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3, derivOrder: 0);
        AssertClose([1, 1, 4, 9, 7], d, Tol);
    }

    [Fact]
    public void Linear_fit_smoothing_is_the_three_point_mean_inside()
    {
        using var y = Row(0, 3, 9, 0, 6);
        using var x = Vector(0, 1, 2, 3, 4);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3, polyOrder: 1, derivOrder: 0);
        AssertClose([3, 4, 4, 5, 6], d, Tol);
    }

    [Fact]
    public void Defaults_work_only_for_three_samples_because_the_window_clamps_to_n()
    {
        using var y3 = Row(0, 1, 4);
        using var x3 = Vector(0, 1, 2);
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y3, x3);
        AssertClose([1, 2, 3], d, Tol);

        using var y4 = Row(0, 1, 4, 9);
        using var x4 = Vector(0, 1, 2, 3);
        var tooLong = Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y4, x4));
        Assert.Contains("window length 3", tooLong.Message);
    }

    [Fact]
    public void Two_samples_fail_the_order_check_with_the_defaults()
    {
        using var y = Row(0, 1);
        using var x = Vector(0, 1);
        var e = Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x));
        Assert.StartsWith("2 < 2 does not hold!", e.Message);
    }

    [Fact]
    public void Two_samples_with_a_linear_fit_fail_in_the_filter_for_window_two()
    {
        using var y = Row(0, 1);
        using var x = Vector(0, 1);
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x, polyOrder: 1));
    }

    [Fact]
    public void Shape_errors_name_both_shapes()
    {
        using var y1 = Vector(0, 1, 2);
        using var y2 = Row(0, 1, 2);
        using var x = Vector(0, 1, 2);
        using var x2 = Vector(0, 1);
        using var xm = Row(0, 1, 2);
        foreach (var (y, xx) in new[] { (y1, x), (y2, x2), (y2, xm) })
        {
            var e = Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, xx, windowLength: 3));
            Assert.Contains(ShapeText(y), e.Message);
            Assert.Contains(ShapeText(xx), e.Message);
        }
    }

    [Theory]
    [InlineData(new[] { 0.0, 1, 1, 2 })]
    [InlineData(new[] { 0.0, 2, 1, 3 })]
    [InlineData(new[] { 3.0, 2, 1, 0 })]
    public void Non_increasing_x_is_a_runtime_error(double[] xs)
    {
        using var y = Row(0, 1, 2, 3);
        using var x = Vector(xs);
        var e = Assert.Throws<InvalidOperationException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3));
        Assert.Equal("dx is not monotonically increasing!", e.Message);
    }

    [Fact]
    public void A_single_sample_is_a_runtime_error()
    {
        using var y = Row(1);
        using var x = Vector(0);
        Assert.Throws<InvalidOperationException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x, polyOrder: 0, derivOrder: 0));
    }

    [Fact]
    public void Derivative_above_the_polynomial_order_is_out_of_range()
    {
        using var y = Row(0, 1, 4, 9);
        using var x = Vector(0, 1, 2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3, polyOrder: 1, derivOrder: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3, polyOrder: 0, derivOrder: 1));
    }

    [Fact]
    public void Float32_input_is_rejected()
    {
        using var y = tensor(new float[] { 0, 1, 4, 9 }).unsqueeze(0);
        using var x = Vector(0, 1, 2, 3);
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3));
    }

    [Fact]
    public void Integer_time_stamps_are_accepted()
    {
        using var y = Row(0, 1, 4, 9, 16);
        using var x = tensor(new long[] { 0, 100_000, 200_000, 300_000, 400_000 });
        using var d = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        AssertClose([1, 2e-5, 4e-5, 6e-5, 7], d, Tol);
    }

    [Fact]
    public void The_filter_accepts_only_window_three_and_two_dimensional_input()
    {
        using var y = Row(0, 1, 4, 9, 16);
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.DevkitFilter(y, 5, 2, 1, 1.0));
        using var flat = Vector(0, 1, 4, 9, 16);
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.DevkitFilter(flat, 3, 2, 1, 1.0));
    }

    [Theory]
    [InlineData(2, 1, 0.7)]
    [InlineData(1, 1, 0.3)]
    [InlineData(2, 2, 1.7)]
    [InlineData(2, 0, 1.0)]
    [InlineData(1, 0, 1.0)]
    [InlineData(0, 0, 1.0)]
    public void Closed_form_weights_are_the_least_squares_solution(int polyOrder, int derivOrder, double delta)
    {
        var closed = SavitzkyGolayTensor.DevkitCoefficients(polyOrder, derivOrder, delta);
        var solved = new double[3];
        SavitzkyGolay.ComputeWeights(3, polyOrder, derivOrder, position: 1, solved);
        for (var k = 0; k < 3; k++)
        {
            solved[k] /= Math.Pow(delta, derivOrder);
        }
        AssertClose(closed, solved, 1e-14);
    }

    [Fact]
    public void The_filter_with_a_cubic_uses_the_overdetermined_least_squares_fit()
    {
        // Rows t¹ and t³ of the 4×3 system are equal, asking c₊₁ − c₋₁ = 1/δ and c₊₁ − c₋₁ = 0 at once; least
        // squares meets halfway, c₊₁ − c₋₁ = 1/(2δ), so c = [−1/(4δ), 0, 1/(4δ)].
        var c = SavitzkyGolayTensor.DevkitCoefficients(3, 1, 1.0);
        AssertClose([-0.25, 0, 0.25], c, 1e-14);
    }

    [Fact]
    public void Runs_on_the_best_device_and_matches_the_cpu()
    {
        var device = TensorDevice.Best();
        var rng = new Random(7);
        var data = new double[64 * 30];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rng.NextDouble() * 10 - 5;
        }
        var times = new double[30];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = i * 0.1 + rng.NextDouble() * 0.01;
        }
        using var y = tensor(data, [64, 30], ScalarType.Float64);
        using var x = tensor(times, dtype: ScalarType.Float64);
        using var yd = y.to(device);
        using var xd = x.to(device);
        using var onCpu = SavitzkyGolayTensor.ApproximateDerivatives(y, x, windowLength: 3);
        using var onDevice = SavitzkyGolayTensor.ApproximateDerivatives(yd, xd, windowLength: 3);
        Assert.Equal(device.type, onDevice.device.type);
        AssertClose(Values(onCpu), onDevice, 1e-12);
    }
}
