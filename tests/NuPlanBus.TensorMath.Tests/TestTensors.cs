using TorchSharp;
using static TorchSharp.torch;

namespace NuPlanBus.TensorMath.Tests;

internal static class TestTensors
{
    public static Tensor Rows(params double[][] rows)
    {
        var n = rows[0].Length;
        var flat = new double[rows.Length * n];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(flat, r * n);
        }
        return tensor(flat, [rows.Length, n], ScalarType.Float64);
    }

    public static Tensor Row(params double[] values) => Rows(values);

    public static Tensor Vector(params double[] values) => tensor(values, dtype: ScalarType.Float64);

    public static string ShapeText(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    public static double[] Values(Tensor t) => t.cpu().contiguous().data<double>().ToArray();

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string? because = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bound = tolerance * Math.Max(1.0, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= bound))
            {
                Assert.Fail($"{because} index {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {bound:G3}).");
            }
        }
    }

    public static void AssertClose(double[] expected, Tensor actual, double tolerance, string? because = null) =>
        AssertClose(expected, Values(actual), tolerance, because);
}
