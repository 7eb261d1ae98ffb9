namespace NuPlanBus.Metrics.Numerics;

/// <summary>
/// Savitzky–Golay smoothing and differentiation with scipy's <c>savgol_filter(mode="interp")</c> semantics
/// (docs/nuplan-simulation.md §4.2): interior outputs from the least-squares polynomial of each window evaluated at the window's
/// evaluation position (h for odd W, h − 0.5 for even W, so an even window is centred half a sample after its
/// output); the first and last h outputs from the polynomial fitted to the first / last W samples.
/// </summary>
public static class SavitzkyGolay
{
    /// <summary>Filters <paramref name="x"/> into a new array.</summary>
    public static double[] Filter(ReadOnlySpan<double> x, int windowLength, int polyOrder, int deriv = 0, double delta = 1.0)
    {
        var output = new double[x.Length];
        Filter(x, windowLength, polyOrder, output, deriv, delta);
        return output;
    }

    /// <summary>Filters <paramref name="x"/> into <paramref name="output"/> (same length; must not overlap the input).</summary>
    public static void Filter(ReadOnlySpan<double> x, int windowLength, int polyOrder, Span<double> output, int deriv = 0, double delta = 1.0)
    {
        Validate(x.Length, windowLength, polyOrder, deriv);
        if (output.Length != x.Length)
        {
            throw new ArgumentException("The output must have the length of the input.", nameof(output));
        }
        var n = x.Length;
        var half = windowLength / 2;
        var even = windowLength % 2 == 0;
        // scipy divides each derivative by delta**deriv once, after fitting in sample units.
        var scale = 1.0 / Math.Pow(delta, deriv);

        Span<double> weights = windowLength <= 64 ? stackalloc double[windowLength] : new double[windowLength];

        // Interior: output i uses samples [i − h, i + h] (odd) or [i − h + 1, i + h] (even).
        ComputeWeights(windowLength, polyOrder, deriv, even ? half - 0.5 : half, weights);
        var startOffset = even ? half - 1 : half;
        for (var i = half; i <= n - 1 - half; i++)
        {
            output[i] = Dot(weights, x.Slice(i - startOffset, windowLength)) * scale;
        }

        // Edges overwrite: the first h outputs from the fit of the first W samples, the last h from the last W.
        var head = x[..windowLength];
        var tail = x[(n - windowLength)..];
        for (var k = 0; k < half; k++)
        {
            ComputeWeights(windowLength, polyOrder, deriv, k, weights);
            output[k] = Dot(weights, head) * scale;
            var local = windowLength - half + k;
            ComputeWeights(windowLength, polyOrder, deriv, local, weights);
            output[n - windowLength + local] = Dot(weights, tail) * scale;
        }
    }

    /// <summary>
    /// The weights w such that Σ w_j·y_j is the <paramref name="deriv"/>-th derivative (per sample) at
    /// <paramref name="position"/> (in samples, 0 = first of the window) of the order-<paramref name="polyOrder"/>
    /// least-squares polynomial through y_0 … y_{W−1}. Solved by QR in centred, scaled coordinates so the small
    /// Vandermonde system stays well conditioned: with A = QR, the fit evaluates as eᵀR⁻¹Qᵀy, hence w = Q·R⁻ᵀe.
    /// </summary>
    public static void ComputeWeights(int windowLength, int polyOrder, int deriv, double position, Span<double> weights)
    {
        if (weights.Length != windowLength)
        {
            throw new ArgumentException("One weight per window sample is needed.", nameof(weights));
        }
        if (deriv > polyOrder)
        {
            // The derivative of a polynomial beyond its order vanishes (scipy returns zero coefficients).
            weights.Clear();
            return;
        }
        var m = polyOrder + 1;
        var centre = (windowLength - 1) / 2.0;
        var spread = Math.Max(1.0, centre);

        // Q (W × m, column-major) and R (m × m, upper) by modified Gram–Schmidt, orthogonalised twice.
        Span<double> q = windowLength * m <= 256 ? stackalloc double[windowLength * m] : new double[windowLength * m];
        // Orders are tiny in practice (p ≤ 3); fall back to the heap rather than risk the stack for odd inputs.
        Span<double> r = m * m <= 64 ? stackalloc double[m * m] : new double[m * m];
        r.Clear();
        for (var k = 0; k < m; k++)
        {
            var column = q.Slice(k * windowLength, windowLength);
            for (var j = 0; j < windowLength; j++)
            {
                column[j] = Math.Pow((j - centre) / spread, k);
            }
            for (var pass = 0; pass < 2; pass++)
            {
                for (var l = 0; l < k; l++)
                {
                    var basis = q.Slice(l * windowLength, windowLength);
                    var projection = Dot(basis, column);
                    r[l * m + k] += projection;
                    for (var j = 0; j < windowLength; j++)
                    {
                        column[j] -= projection * basis[j];
                    }
                }
            }
            var norm = Math.Sqrt(Dot(column, column));
            r[k * m + k] = norm;
            for (var j = 0; j < windowLength; j++)
            {
                column[j] /= norm;
            }
        }

        // e_k = d^deriv/dt^deriv of ((t − centre)/spread)^k at t = position.
        Span<double> e = m <= 64 ? stackalloc double[m] : new double[m];
        var u = (position - centre) / spread;
        for (var k = 0; k < m; k++)
        {
            if (k < deriv)
            {
                e[k] = 0;
                continue;
            }
            var falling = 1.0;
            for (var f = 0; f < deriv; f++)
            {
                falling *= k - f;
            }
            e[k] = falling * Math.Pow(u, k - deriv) / Math.Pow(spread, deriv);
        }

        // Forward substitution Rᵀz = e (Rᵀ is lower triangular), then w = Qz.
        Span<double> z = m <= 64 ? stackalloc double[m] : new double[m];
        for (var k = 0; k < m; k++)
        {
            var sum = e[k];
            for (var l = 0; l < k; l++)
            {
                sum -= r[l * m + k] * z[l];
            }
            z[k] = sum / r[k * m + k];
        }
        weights.Clear();
        for (var k = 0; k < m; k++)
        {
            var column = q.Slice(k * windowLength, windowLength);
            for (var j = 0; j < windowLength; j++)
            {
                weights[j] += column[j] * z[k];
            }
        }
    }

    private static void Validate(int length, int windowLength, int polyOrder, int deriv)
    {
        if (windowLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, "The window length must be positive.");
        }
        if (polyOrder < 0 || deriv < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(polyOrder), "The polynomial and derivative orders must be non-negative.");
        }
        if (polyOrder >= windowLength)
        {
            throw new ArgumentException(
                $"polyorder must be less than window_length (polyorder {polyOrder}, window_length {windowLength}).");
        }
        if (windowLength > length)
        {
            throw new ArgumentException(
                $"In interp mode the window length ({windowLength}) must not exceed the series length ({length}).");
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
