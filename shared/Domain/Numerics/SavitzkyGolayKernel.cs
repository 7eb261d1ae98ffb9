using System.Collections.Concurrent;

namespace NuPlanBus.Domain.Numerics;

/// <summary>
/// Exact least-squares Savitzky–Golay weights for one (window, polyorder, deriv), at unit sample
/// spacing, laid out for scipy's <c>savgol_filter(mode='interp')</c>:
/// <list type="bullet">
/// <item>interior: output <c>i</c> is the correlation of <see cref="Interior"/> with the window that
/// starts at <c>i − (W−1)/2</c>; the polynomial is evaluated at window position
/// <c>h = W/2</c> for odd windows and <c>h − 0.5</c> for even ones (scipy's even-window rule);</item>
/// <item>edges: the first and last <see cref="EdgeCount"/> (= <c>W/2</c>) outputs come from the polynomial fitted to
/// the first / last <c>W</c> samples, evaluated at each edge sample (rows of <see cref="LeftEdge"/> and
/// <see cref="RightEdge"/>).</item>
/// </list>
/// Weights for spacing <c>δ</c> are these divided by <c>δ^deriv</c> (<see cref="Scale"/>), so one cached
/// kernel serves every spacing. Instances are immutable and shared; get them from <see cref="Get"/>.
/// </summary>
public sealed class SavitzkyGolayKernel
{
    private static readonly ConcurrentDictionary<(int Window, int PolyOrder, int Deriv), SavitzkyGolayKernel> Cache = new();

    private readonly double[] _interior;
    private readonly double[] _leftEdge;
    private readonly double[] _rightEdge;

    private SavitzkyGolayKernel(int window, int polyOrder, int deriv)
    {
        Window = window;
        PolyOrder = polyOrder;
        Deriv = deriv;
        EdgeCount = window / 2;
        InteriorOffset = (window - 1) / 2;
        var centre = window % 2 == 1 ? window / 2 : window / 2 - 0.5;
        _interior = new double[window];
        SavitzkyGolay.ComputeWeights(window, polyOrder, deriv, centre, _interior);
        _leftEdge = new double[EdgeCount * window];
        _rightEdge = new double[EdgeCount * window];
        for (var e = 0; e < EdgeCount; e++)
        {
            SavitzkyGolay.ComputeWeights(window, polyOrder, deriv, e, _leftEdge.AsSpan(e * window, window));
            SavitzkyGolay.ComputeWeights(window, polyOrder, deriv, window - EdgeCount + e, _rightEdge.AsSpan(e * window, window));
        }
    }

    public int Window { get; }

    public int PolyOrder { get; }

    public int Deriv { get; }

    /// <summary>Number of outputs at each end taken from the edge polynomial fit: <c>W/2</c>.</summary>
    public int EdgeCount { get; }

    /// <summary>Output index of the interior window that starts at sample 0: <c>(W−1)/2</c>.</summary>
    public int InteriorOffset { get; }

    /// <summary>Interior correlation weights (length W), unit spacing.</summary>
    public ReadOnlySpan<double> Interior => _interior;

    /// <summary>Row-major [EdgeCount, W]: row e gives output e from samples 0..W−1, unit spacing.</summary>
    public ReadOnlySpan<double> LeftEdge => _leftEdge;

    /// <summary>Row-major [EdgeCount, W]: row e gives output n−EdgeCount+e from samples n−W..n−1, unit spacing.</summary>
    public ReadOnlySpan<double> RightEdge => _rightEdge;

    /// <summary>Factor turning unit-spacing weights into weights for spacing <paramref name="delta"/>: <c>δ^−deriv</c>.</summary>
    public double Scale(double delta) => Deriv == 0 ? 1.0 : 1.0 / Math.Pow(delta, Deriv);

    /// <summary>The shared kernel for these parameters (validated like scipy's <c>savgol_coeffs</c>).</summary>
    public static SavitzkyGolayKernel Get(int window, int polyOrder, int deriv = 0)
    {
        Validate(window, polyOrder, deriv);
        return Cache.GetOrAdd((window, polyOrder, deriv), static k => new SavitzkyGolayKernel(k.Window, k.PolyOrder, k.Deriv));
    }

    private static void Validate(int window, int polyOrder, int deriv)
    {
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "window must be a positive integer.");
        }
        if (polyOrder < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(polyOrder), polyOrder, "polyorder must be non-negative.");
        }
        if (polyOrder >= window)
        {
            throw new ArgumentException($"polyorder must be less than window_length ({polyOrder} >= {window}).", nameof(polyOrder));
        }
        if (deriv < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(deriv), deriv, "deriv must be non-negative.");
        }
    }
}
