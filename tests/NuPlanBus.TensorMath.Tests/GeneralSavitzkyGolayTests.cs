using NuPlanBus.Domain.Numerics;
using NuPlanBus.TensorMath.Tests.Reference;
using static NuPlanBus.TensorMath.Tests.TestTensors;
using static TorchSharp.torch;

namespace NuPlanBus.TensorMath.Tests;

/// <summary>The general filter against scipy.signal.savgol_filter(mode='interp'), on tensors and on spans.</summary>
public class GeneralSavitzkyGolayTests
{
    private static readonly double[] ScipyDocInput = [2, 2, 5, 2, 1, 0, 1, 4, 9];

    [Fact]
    public void Matches_the_scipy_documentation_example()
    {
        // savgol_filter([2, 2, 5, 2, 1, 0, 1, 4, 9], 5, 2), printed by scipy to 8 digits.
        double[] expected = [1.65714286, 3.17142857, 3.54285714, 2.85714286, 0.65714286, 0.17142857, 1.0, 4.0, 9.0];
        using var y = Vector(ScipyDocInput);
        using var filtered = SavitzkyGolayTensor.SavitzkyGolay(y, 5, 2);
        AssertClose(expected, filtered, 1e-8);
        AssertClose(expected, SavitzkyGolay.Filter(ScipyDocInput, 5, 2), 1e-8);
    }

    [Fact]
    public void Matches_scipy_for_an_even_window()
    {
        // savgol_filter([2, 2, 5, 2, 1, 0, 1, 4, 9], 4, 2), scipy 1.10.1 to full precision.
        double[] expected = [1.549999999999999, 3.3500000000000005, 3.75, 1.375, 0.37500000000000006, 0.25, 2.25, 3.9999999999999973, 8.999999999999996];
        using var y = Vector(ScipyDocInput);
        using var filtered = SavitzkyGolayTensor.SavitzkyGolay(y, 4, 2);
        AssertClose(expected, filtered, 1e-9);
        AssertClose(expected, SavitzkyGolay.Filter(ScipyDocInput, 4, 2), 1e-9);
    }

    public static TheoryData<int> ScipyCases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ScipySavgolReference.Cases.Length; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ScipyCases))]
    public void Matches_scipy_reference_outputs(int caseIndex)
    {
        var (window, order, deriv, delta, expected) = ScipySavgolReference.Cases[caseIndex];
        var input = ScipySavgolReference.Series(ScipySavgolReference.Length);
        var label = $"W={window} P={order} d={deriv} δ={delta}:";
        using var y = Vector(input);
        using var filtered = SavitzkyGolayTensor.SavitzkyGolay(y, window, order, deriv, delta);
        AssertClose(expected, filtered, 1e-9, label);
        AssertClose(expected, SavitzkyGolay.Filter(input, window, order, deriv, delta), 1e-9, label);
    }

    /// <summary>
    /// Where scipy evaluates output i: at sample i for the W/2 edge outputs at each end and for odd windows,
    /// half a sample later (i + 0.5) inside for even windows.
    /// </summary>
    private static double EvaluationPoint(int i, int n, int window) =>
        i < window / 2 || i >= n - window / 2 || window % 2 == 1 ? i : i + 0.5;

    [Theory]
    [InlineData(5, 2, 2, 0.1)]
    [InlineData(5, 3, 3, 0.1)]
    [InlineData(7, 3, 3, 0.25)]
    [InlineData(6, 2, 2, 0.5)]
    [InlineData(8, 3, 3, 2.0)]
    [InlineData(9, 4, 3, 0.05)]
    [InlineData(4, 3, 3, 1.0)]
    public void Reproduces_polynomial_derivatives_exactly(int window, int polyOrder, int degree, double delta)
    {
        const int n = 21;
        // p(t) = 0.5 − 1.5 t + 0.75 t² (+ 0.2 t³), t = i·δ − 1.
        static double P(double t, int deg) => 0.5 - 1.5 * t + 0.75 * t * t + (deg >= 3 ? 0.2 * t * t * t : 0);
        static double P1(double t, int deg) => -1.5 + 1.5 * t + (deg >= 3 ? 0.6 * t * t : 0);
        static double P2(double t, int deg) => 1.5 + (deg >= 3 ? 1.2 * t : 0);
        static double P3(double t, int deg) => deg >= 3 ? 1.2 : 0;

        var samples = new double[n];
        for (var i = 0; i < n; i++)
        {
            samples[i] = P(i * delta - 1, degree);
        }
        Func<double, int, double>[] derivatives = [P, P1, P2, P3];
        using var y = Vector(samples);
        for (var deriv = 0; deriv <= 3; deriv++)
        {
            var expected = new double[n];
            for (var i = 0; i < n; i++)
            {
                expected[i] = derivatives[deriv](EvaluationPoint(i, n, window) * delta - 1, degree);
            }
            using var filtered = SavitzkyGolayTensor.SavitzkyGolay(y, window, polyOrder, deriv, delta);
            AssertClose(expected, filtered, 1e-9, $"deriv {deriv}:");
            AssertClose(expected, SavitzkyGolay.Filter(samples, window, polyOrder, deriv, delta), 1e-9, $"cpu deriv {deriv}:");
        }
    }

    [Fact]
    public void Derivatives_above_the_order_are_zero()
    {
        var samples = ScipySavgolReference.Series(12);
        using var y = Vector(samples);
        using var filtered = SavitzkyGolayTensor.SavitzkyGolay(y, 5, 1, deriv: 2);
        AssertClose(new double[12], filtered, 0);
        AssertClose(new double[12], SavitzkyGolay.Filter(samples, 5, 1, 2), 0);
    }

    [Fact]
    public void Batched_rows_equal_rows_filtered_one_at_a_time()
    {
        var rng = new Random(11);
        const int rows = 9, n = 25;
        var data = new double[rows * n];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rng.NextDouble() * 4 - 2;
        }
        using var batch = tensor(data, [rows, n], ScalarType.Float64);
        using var all = SavitzkyGolayTensor.SavitzkyGolay(batch, 6, 3, 1, 0.1);
        Assert.Equal([(long)rows, n], all.shape);
        var allValues = Values(all);
        for (var r = 0; r < rows; r++)
        {
            using var row = batch[r];
            using var one = SavitzkyGolayTensor.SavitzkyGolay(row, 6, 3, 1, 0.1);
            AssertClose(Values(one), allValues.AsSpan(r * n, n).ToArray(), 1e-15, $"row {r}:");
        }
    }

    [Fact]
    public void Window_equal_to_the_length_and_window_one_are_valid()
    {
        double[] samples = [1, 4, 2, 8, 5];
        // Window n: every output from the single fitted polynomial; window 1, order 0: the identity.
        using var y = Vector(samples);
        using var whole = SavitzkyGolayTensor.SavitzkyGolay(y, 5, 4);
        AssertClose(samples, whole, 1e-12);
        using var identity = SavitzkyGolayTensor.SavitzkyGolay(y, 1, 0);
        AssertClose(samples, identity, 0);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_like_scipy()
    {
        using var y = Vector(1, 2, 3, 4, 5);
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.SavitzkyGolay(y, 5, 5));
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.SavitzkyGolay(y, 7, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SavitzkyGolayTensor.SavitzkyGolay(y, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SavitzkyGolayTensor.SavitzkyGolay(y, 3, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SavitzkyGolayTensor.SavitzkyGolay(y, 3, 1, 1, 0.0));
        using var f32 = tensor(new float[] { 1, 2, 3, 4, 5 });
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.SavitzkyGolay(f32, 3, 1));
        using var cube = zeros(2, 2, 5, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => SavitzkyGolayTensor.SavitzkyGolay(cube, 3, 1));
        Assert.Throws<ArgumentException>(() => SavitzkyGolay.Filter(new double[4], 5, 2));
        Assert.Throws<ArgumentException>(() => SavitzkyGolay.FilterRows(new double[10], new double[10], 3, 3, 1));
    }

    public static TheoryData<int, int, int, double> AgreementCases() => new()
    {
        { 3, 1, 0, 1.0 }, { 3, 2, 1, 0.1 }, { 4, 2, 0, 1.0 }, { 4, 3, 2, 0.5 }, { 5, 2, 1, 0.1 },
        { 5, 4, 3, 2.0 }, { 6, 3, 1, 0.25 }, { 7, 2, 2, 1.0 }, { 8, 5, 3, 0.1 }, { 10, 4, 1, 0.05 },
        { 11, 3, 0, 1.0 }, { 12, 6, 2, 0.3 }, { 2, 1, 1, 1.0 }, { 1, 0, 0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(AgreementCases))]
    public void Tensor_and_span_implementations_agree_on_random_batches(int window, int polyOrder, int deriv, double delta)
    {
        var rng = new Random(window * 1000 + polyOrder * 100 + deriv);
        const int rows = 32, n = 40;
        var data = new double[rows * n];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rng.NextDouble() * 20 - 10;
        }
        var cpu = new double[data.Length];
        SavitzkyGolay.FilterRows(data, cpu, rows, window, polyOrder, deriv, delta);
        using var y = tensor(data, [rows, n], ScalarType.Float64).to(TensorDevice.Best());
        using var filtered = SavitzkyGolayTensor.SavitzkyGolay(y, window, polyOrder, deriv, delta);
        AssertClose(cpu, filtered, 1e-9);
    }

    [Fact]
    public void The_span_filter_does_not_allocate_once_the_kernel_is_cached()
    {
        var input = ScipySavgolReference.Series(200);
        var output = new double[input.Length];
        SavitzkyGolay.Filter(input, 9, 3, output, 1, 0.1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            SavitzkyGolay.Filter(input, 9, 3, output, 1, 0.1);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
