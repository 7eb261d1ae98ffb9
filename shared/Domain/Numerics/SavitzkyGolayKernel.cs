using System.Collections.Concurrent;

namespace NuPlanBus.TensorMath;

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
        _interior = Coefficients(window, polyOrder, deriv, 1.0, centre);
        _leftEdge = new double[EdgeCount * window];
        _rightEdge = new double[EdgeCount * window];
        for (var e = 0; e < EdgeCount; e++)
        {
            Coefficients(window, polyOrder, deriv, 1.0, e).CopyTo(_leftEdge, e * window);
            Coefficients(window, polyOrder, deriv, 1.0, window - EdgeCount + e).CopyTo(_rightEdge, e * window);
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

    /// <summary>
    /// Least-squares weights <c>c</c> (correlation order: <c>c[k]</c> multiplies window sample <c>k</c>) such
    /// that <c>Σ c[k]·y[k]</c> is the <paramref name="deriv"/>-th derivative, at window position
    /// <paramref name="position"/>, of the degree-<paramref name="polyOrder"/> polynomial fitted to the window.
    /// scipy's <c>savgol_coeffs(W, P, d, δ, pos, use='dot')</c>. All zeros when <c>deriv &gt; polyOrder</c>.
    /// </summary>
    public static double[] Coefficients(int window, int polyOrder, int deriv, double delta, double position)
    {
        Validate(window, polyOrder, deriv);
        if (!double.IsFinite(delta) || delta == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be finite and non-zero.");
        }
        if (!double.IsFinite(position))
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "position must be finite.");
        }
        return SolveForOffsets(window, polyOrder, deriv, delta, k => k - position);
    }

    /// <summary>
    /// Least-squares (overdetermined) or minimum-norm (underdetermined) solution of
    /// <c>Σ_k c[k]·t_k^p = (p == d ? d!/δ^d : 0)</c> for <c>p = 0..P</c>, the definition behind
    /// every Savitzky–Golay kernel. Offsets are rescaled to [−1, 1] first so high orders stay well conditioned.
    /// </summary>
    internal static double[] SolveForOffsets(int window, int polyOrder, int deriv, double delta, Func<int, double> offset)
    {
        var c = new double[window];
        if (deriv > polyOrder)
        {
            return c;
        }
        var t = new double[window];
        var scale = 0.0;
        for (var k = 0; k < window; k++)
        {
            t[k] = offset(k);
            scale = Math.Max(scale, Math.Abs(t[k]));
        }
        if (scale == 0)
        {
            scale = 1.0;
        }
        var a = new double[polyOrder + 1, window];
        for (var k = 0; k < window; k++)
        {
            var u = t[k] / scale;
            var power = 1.0;
            for (var p = 0; p <= polyOrder; p++)
            {
                a[p, k] = power;
                power *= u;
            }
        }
        var b = new double[polyOrder + 1];
        b[deriv] = Factorial(deriv) / Math.Pow(delta * scale, deriv);
        return LeastSquares.Solve(a, b);
    }

    internal static double Factorial(int n)
    {
        var f = 1.0;
        for (var i = 2; i <= n; i++)
        {
            f *= i;
        }
        return f;
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
