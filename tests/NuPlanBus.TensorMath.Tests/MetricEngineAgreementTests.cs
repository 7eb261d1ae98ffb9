using NuPlanBus.Domain.Numerics;
using NuPlanBus.Metrics.Numerics;
using static NuPlanBus.TensorMath.Tests.TestTensors;
using static TorchSharp.torch;

namespace NuPlanBus.TensorMath.Tests;

/// <summary>
/// The metric engine differentiates each scenario's short series with its own plain C# Savitzky–Golay filter; batched
/// work goes through <see cref="SavitzkyGolayTensor"/>. The two must give the same numbers to 1e-9.
/// </summary>
public class MetricEngineAgreementTests
{
    private static double[] Series(Random random, int length)
    {
        // A smooth trajectory with noise, like a logged speed or heading at 10 Hz.
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            var t = i * 0.1;
            values[i] = 8 * Math.Sin(0.4 * t) + 0.5 * t * t / 10 + 0.05 * (random.NextDouble() - 0.5);
        }
        return values;
    }

    public static TheoryData<int, int, int, double> Configurations()
    {
        var data = new TheoryData<int, int, int, double>();
        // The engine's own windows (acceleration 8, jerk 15, yaw 5) and more, odd and even, every order and derivative.
        foreach (var window in new[] { 3, 4, 5, 7, 8, 11, 15 })
        {
            for (var order = 1; order <= Math.Min(4, window - 1); order++)
            {
                for (var deriv = 0; deriv <= Math.Min(2, order); deriv++)
                {
                    foreach (var delta in new[] { 0.1, 1.0 })
                    {
                        data.Add(window, order, deriv, delta);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void The_metric_engine_filter_and_the_tensor_filter_agree_to_1e_9(int window, int order, int deriv, double delta)
    {
        var random = new Random(window * 1000 + order * 100 + deriv * 10 + (int)delta);
        foreach (var length in new[] { window, window + 1, 2 * window + 3, 151 })
        {
            var series = Series(random, length);
            var engine = SavitzkyGolay.Filter(series, window, order, deriv, delta);
            using var y = Vector(series);
            using var tensor = SavitzkyGolayTensor.SavitzkyGolay(y, window, order, deriv, delta);
            AssertRelativelyClose(Values(tensor), engine, $"window {window}, order {order}, deriv {deriv}, delta {delta}, n {length}");
        }
    }

    [Fact]
    public void Many_trajectories_filtered_at_once_on_tensors_equal_the_engine_row_by_row()
    {
        var random = new Random(7);
        const int rows = 64, length = 151;
        var trajectories = Enumerable.Range(0, rows).Select(_ => Series(random, length)).ToArray();
        using var batch = Rows(trajectories);

        using var jerk = SavitzkyGolayTensor.SavitzkyGolay(batch, EgoSignals.JerkWindow, 2, deriv: 1, delta: 0.1);

        var values = Values(jerk);
        for (var row = 0; row < rows; row++)
        {
            var engine = SavitzkyGolay.Filter(trajectories[row], EgoSignals.JerkWindow, 2, deriv: 1, delta: 0.1);
            AssertRelativelyClose(values.AsSpan(row * length, length).ToArray(), engine, $"row {row}");
        }
    }

    [Fact]
    public void The_engine_derivative_over_timestamps_equals_the_tensor_filter_at_the_mean_spacing()
    {
        var random = new Random(11);
        var values = Series(random, 40);
        var timesUs = Enumerable.Range(0, 40).Select(i => 1_000_000L + i * 100_000L + (i % 3) * 1_000L).ToArray();
        var delta = (timesUs[^1] - timesUs[0]) / 1e6 / (timesUs.Length - 1);

        var engine = EgoSignals.ApproximateDerivatives(values, timesUs, windowLength: 5, polyOrder: 2, deriv: 1);
        using var y = Vector(values);
        using var tensor = SavitzkyGolayTensor.SavitzkyGolay(y, 5, 2, deriv: 1, delta: delta);

        AssertRelativelyClose(Values(tensor), engine, "yaw-rate style derivative");
    }

    /// <summary>1e-9 absolute for values of order one, relative for larger ones (second derivatives at δ = 0.1).</summary>
    private static void AssertRelativelyClose(double[] expected, double[] actual, string because)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{because}: [{i}] expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
