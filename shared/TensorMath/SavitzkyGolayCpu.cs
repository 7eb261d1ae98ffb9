namespace NuPlanBus.TensorMath;

/// <summary>
/// Plain C# Savitzky–Golay filter with scipy <c>savgol_filter(mode='interp')</c> semantics, over spans.
/// Same kernel as <see cref="SavitzkyGolayTensor.SavitzkyGolay"/>; the only allocation is the shared,
/// cached <see cref="SavitzkyGolayKernel"/>.
/// </summary>
public static class SavitzkyGolayCpu
{
    /// <summary>Filters one series <paramref name="y"/> into <paramref name="output"/> (same length).</summary>
    public static void Filter(ReadOnlySpan<double> y, Span<double> output, int window, int polyOrder, int deriv = 0, double delta = 1.0) =>
        FilterRows(y, output, rows: 1, window, polyOrder, deriv, delta);

    /// <summary>
    /// Filters each row of the row-major [<paramref name="rows"/>, n] block <paramref name="y"/> into
    /// <paramref name="output"/> (same layout); n = y.Length / rows.
    /// </summary>
    public static void FilterRows(ReadOnlySpan<double> y, Span<double> output, int rows, int window, int polyOrder, int deriv = 0, double delta = 1.0)
    {
        if (rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be positive.");
        }
        if (y.Length % rows != 0)
        {
            throw new ArgumentException($"{y.Length} samples do not split into {rows} rows.", nameof(y));
        }
        if (output.Length != y.Length)
        {
            throw new ArgumentException($"Output length {output.Length} differs from input length {y.Length}.", nameof(output));
        }
        CheckDelta(delta);
        var kernel = SavitzkyGolayKernel.Get(window, polyOrder, deriv);
        var n = y.Length / rows;
        CheckLength(window, n);
        var scale = kernel.Scale(delta);
        for (var r = 0; r < rows; r++)
        {
            FilterRow(kernel, scale, y.Slice(r * n, n), output.Slice(r * n, n));
        }
    }

    /// <summary>Convenience overload returning a new array.</summary>
    public static double[] Filter(double[] y, int window, int polyOrder, int deriv = 0, double delta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(y);
        var output = new double[y.Length];
        Filter(y, output, window, polyOrder, deriv, delta);
        return output;
    }

    internal static void CheckDelta(double delta)
    {
        if (!double.IsFinite(delta) || delta == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be finite and non-zero.");
        }
    }

    internal static void CheckLength(int window, long n)
    {
        if (window > n)
        {
            throw new ArgumentException(
                $"If mode is 'interp', window_length must be less than or equal to the size of x (window {window}, size {n}).");
        }
    }

    private static void FilterRow(SavitzkyGolayKernel kernel, double scale, ReadOnlySpan<double> y, Span<double> output)
    {
        int w = kernel.Window, h = kernel.EdgeCount, n = y.Length;
        var interior = kernel.Interior;
        for (var i = h; i < n - h; i++)
        {
            output[i] = Dot(interior, y.Slice(i - kernel.InteriorOffset, w)) * scale;
        }
        var left = kernel.LeftEdge;
        var right = kernel.RightEdge;
        var head = y[..w];
        var tail = y[(n - w)..];
        for (var e = 0; e < h; e++)
        {
            output[e] = Dot(left.Slice(e * w, w), head) * scale;
            output[n - h + e] = Dot(right.Slice(e * w, w), tail) * scale;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var s = 0.0;
        for (var k = 0; k < a.Length; k++)
        {
            s += a[k] * b[k];
        }
        return s;
    }
}
