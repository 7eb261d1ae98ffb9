using NuPlanBus.Domain.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace NuPlanBus.TensorMath;

/// <summary>
/// Savitzky–Golay derivatives and smoothing on TorchSharp tensors, batched over rows: every row of a
/// [rows, n] float64 tensor is an independent series (many trajectories at once). Results live on the
/// input's device (CPU or CUDA, see <see cref="TensorDevice.Best"/>).
/// <para>
/// Two modes. <see cref="ApproximateDerivatives"/> / <see cref="DevkitFilter"/> reproduce the nuPlan devkit's
/// <c>approximate_derivatives_tensor</c> bit-for-bit in behaviour, edge quirks included (trained models consume
/// those numbers). <see cref="SavitzkyGolay"/> is the general filter with scipy <c>savgol_filter(mode='interp')</c>
/// semantics for any window and order.
/// </para>
/// </summary>
public static class SavitzkyGolayTensor
{
    /// <summary>
    /// The devkit's <c>approximate_derivatives_tensor(y, x, window_length, poly_order, deriv_order)</c>:
    /// window clamped to n, <c>poly_order &lt; window</c> required, <c>x</c> strictly increasing, spacing
    /// <c>δ = mean(diff(x))</c> even when <c>x</c> is irregular, then <see cref="DevkitFilter"/> (window 3 only).
    /// With the defaults only 3-sample series work; the devkit's callers pass <c>windowLength: 3</c>.
    /// </summary>
    /// <param name="y">[rows, n], float64.</param>
    /// <param name="x">[n] sample positions (any real dtype; read as float64).</param>
    /// <exception cref="ArgumentException">Bad shapes, <c>poly_order ≥ window</c>, or any error of <see cref="DevkitFilter"/> (the devkit's ValueError).</exception>
    /// <exception cref="InvalidOperationException"><c>x</c> not strictly increasing, or fewer than 2 samples (the devkit's RuntimeError).</exception>
    public static Tensor ApproximateDerivatives(Tensor y, Tensor x, int windowLength = 5, int polyOrder = 2, int derivOrder = 1)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(x);
        if (y.dim() != 2 || x.dim() != 1 || y.shape[1] != x.shape[0])
        {
            throw new ArgumentException(
                $"Unexpected input shapes: y {Shape(y)} must be [rows, n] and x {Shape(x)} must be [n].");
        }
        var n = x.shape[0];
        var window = (int)Math.Min(windowLength, n);
        if (!(polyOrder < window))
        {
            throw new ArgumentException($"{polyOrder} < {window} does not hold!", nameof(polyOrder));
        }
        if (n < 2)
        {
            // The devkit fails here too: the minimum of an empty dx has no value.
            throw new InvalidOperationException("dx is empty: at least 2 samples are needed.");
        }
        double minDx, delta;
        using (NewDisposeScope())
        {
            var dx = diff(x.to_type(ScalarType.Float64));
            minDx = dx.min().item<double>();
            delta = dx.mean().item<double>();
        }
        if (minDx <= 0)
        {
            throw new InvalidOperationException("dx is not monotonically increasing!");
        }
        return DevkitFilter(y, window, polyOrder, derivOrder, delta);
    }

    /// <summary>
    /// The devkit's Savitzky–Golay filter as implemented: window 3 only; weights from the least-squares fit at
    /// offsets [−1, 0, 1]; a same-size cross-correlation with one zero of padding at each end; then the two
    /// edge outputs are overwritten, whatever <paramref name="derivOrder"/> and <paramref name="delta"/>, by the
    /// unscaled first differences <c>y[1] − y[0]</c> and <c>y[n−1] − y[n−2]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Window not 3, <paramref name="y"/> not 2-D float64, fewer than 2 columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>derivOrder &gt; polyOrder</c> (the devkit's out-of-range assignment) or negative orders.</exception>
    public static Tensor DevkitFilter(Tensor y, int windowLength, int polyOrder, int derivOrder, double delta)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (windowLength != 3)
        {
            throw new ArgumentException($"Only window length 3 is supported, got {windowLength}.", nameof(windowLength));
        }
        if (y.dim() != 2)
        {
            throw new ArgumentException($"y must be 2-D [rows, n], got {Shape(y)}.", nameof(y));
        }
        var weights = DevkitCoefficients(polyOrder, derivOrder, delta);
        RequireFloat64(y);
        var n = y.shape[1];
        if (n < 2)
        {
            throw new ArgumentException($"The edge rule needs at least 2 columns, got {Shape(y)}.", nameof(y));
        }
        using var scope = NewDisposeScope();
        var kernel = tensor(weights, dtype: ScalarType.Float64, device: y.device).view(1, 1, 3);
        var output = nn.functional.conv1d(y.unsqueeze(1), kernel, padding: 1).squeeze(1);
        output.select(1, 0).copy_(y.select(1, 1) - y.select(1, 0));
        output.select(1, n - 1).copy_(y.select(1, n - 1) - y.select(1, n - 2));
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The devkit filter's weights <c>[c₋₁, c₀, c₊₁]</c>. The closed forms of the reference table where it has
    /// one (exact where the library leaves round-off such as 5.6e-17); the least-squares solution otherwise.
    /// </summary>
    public static double[] DevkitCoefficients(int polyOrder, int derivOrder, double delta)
    {
        if (polyOrder < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(polyOrder), polyOrder, "poly_order must be non-negative.");
        }
        if (derivOrder < 0 || derivOrder > polyOrder)
        {
            throw new ArgumentOutOfRangeException(
                nameof(derivOrder), derivOrder, $"deriv_order must lie in [0, poly_order = {polyOrder}].");
        }
        return (polyOrder, derivOrder) switch
        {
            (1 or 2, 1) => [-1.0 / (2.0 * delta), 0.0, 1.0 / (2.0 * delta)],
            (2, 2) => [1.0 / (delta * delta), -2.0 / (delta * delta), 1.0 / (delta * delta)],
            (2, 0) => [0.0, 1.0, 0.0],
            (0 or 1, 0) => [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0],
            _ => MinimumNormCoefficients(polyOrder, derivOrder, delta),
        };
    }

    /// <summary>
    /// General Savitzky–Golay filter with scipy <c>savgol_filter(y, window, polyorder, deriv, delta, mode='interp')</c>
    /// semantics along the last axis of a [n] or [rows, n] float64 tensor: exact least-squares weights; odd windows
    /// evaluate the fit at the window centre, even windows at position <c>W/2 − 0.5</c> of the window starting at
    /// <c>i − (W−1)/2</c> (so output i sits half a sample late, as scipy's does); the first and last <c>W/2</c>
    /// outputs come from the polynomial fitted to the first / last <c>W</c> samples.
    /// </summary>
    /// <exception cref="ArgumentException">window &lt; 1, polyorder ≥ window, window &gt; n, rank not 1 or 2, not float64.</exception>
    public static Tensor SavitzkyGolay(Tensor y, int window, int polyOrder, int deriv = 0, double delta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.dim() is not (1 or 2))
        {
            throw new ArgumentException($"y must be [n] or [rows, n], got {Shape(y)}.", nameof(y));
        }
        RequireFloat64(y);
        Domain.Numerics.SavitzkyGolay.CheckDelta(delta);
        var kernel = SavitzkyGolayKernel.Get(window, polyOrder, deriv);
        var n = y.shape[^1];
        Domain.Numerics.SavitzkyGolay.CheckLength(window, n);
        var scale = kernel.Scale(delta);

        using var scope = NewDisposeScope();
        var rows = y.dim() == 1 ? y.unsqueeze(0) : y;
        var device = y.device;
        int w = kernel.Window, h = kernel.EdgeCount;
        var parts = new List<Tensor>(3);
        if (h > 0)
        {
            var left = tensor(kernel.LeftEdge.ToArray(), [h, w], ScalarType.Float64, device).t();
            parts.Add(rows.narrow(1, 0, w).matmul(left));
        }
        var interiorCount = n - 2 * h;
        if (interiorCount > 0)
        {
            var weights = tensor(kernel.Interior.ToArray(), [1, 1, w], ScalarType.Float64, device);
            var firstStart = h - kernel.InteriorOffset;
            var span = rows.narrow(1, firstStart, interiorCount + w - 1).unsqueeze(1);
            parts.Add(nn.functional.conv1d(span, weights).squeeze(1));
        }
        if (h > 0)
        {
            var right = tensor(kernel.RightEdge.ToArray(), [h, w], ScalarType.Float64, device).t();
            parts.Add(rows.narrow(1, n - w, w).matmul(right));
        }
        var output = parts.Count == 1 ? parts[0] : cat(parts, 1);
        if (scale != 1.0)
        {
            output = output * scale;
        }
        if (y.dim() == 1)
        {
            output = output.squeeze(0);
        }
        return output.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The devkit's three-point weights where no closed form applies: the least-squares (or, for orders ≥ 3, the
    /// minimum-norm) solution of <c>Σ_k c[k]·t_k^p = (p == d ? d!/δ^d : 0)</c> for offsets t = −1, 0, 1, which is what
    /// its <c>lstsq</c> returns. scipy's filter rejects such orders, so this quirk lives only here.
    /// </summary>
    private static double[] MinimumNormCoefficients(int polyOrder, int derivOrder, double delta)
    {
        var a = new double[polyOrder + 1, 3];
        for (var k = 0; k < 3; k++)
        {
            var power = 1.0;
            for (var p = 0; p <= polyOrder; p++)
            {
                a[p, k] = power;
                power *= k - 1;
            }
        }
        var b = new double[polyOrder + 1];
        var factorial = 1.0;
        for (var i = 2; i <= derivOrder; i++)
        {
            factorial *= i;
        }
        b[derivOrder] = factorial / Math.Pow(delta, derivOrder);
        return LeastSquares.Solve(a, b);
    }

    private static void RequireFloat64(Tensor y)
    {
        if (y.dtype != ScalarType.Float64)
        {
            throw new ArgumentException($"y must be float64, got {y.dtype}.", nameof(y));
        }
    }

    internal static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
