namespace NuPlanBus.TensorMath;

/// <summary>
/// Householder least squares for the small, full-rank systems behind Savitzky–Golay coefficients:
/// the least-squares solution when the system is overdetermined, the minimum-norm solution when it is
/// underdetermined (what LAPACK's gelsd, behind numpy's and torch's lstsq, returns for full rank).
/// </summary>
internal static class LeastSquares
{
    /// <summary>Solves <c>a·x ≈ b</c> for <c>a</c> of shape [rows, cols].</summary>
    public static double[] Solve(double[,] a, ReadOnlySpan<double> b)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        if (b.Length != rows)
        {
            throw new ArgumentException($"Right-hand side has {b.Length} entries, the matrix {rows} rows.", nameof(b));
        }
        if (rows >= cols)
        {
            // Overdetermined (or square): x = R⁻¹·(Qᵀb)[0..cols).
            var qr = new Householder(a, transpose: false);
            var rhs = b.ToArray();
            qr.ApplyQTranspose(rhs);
            var x = new double[cols];
            for (var k = cols - 1; k >= 0; k--)
            {
                var s = rhs[k];
                for (var j = k + 1; j < cols; j++)
                {
                    s -= qr.R(k, j) * x[j];
                }
                x[k] = s / qr.Diagonal(k);
            }
            return x;
        }
        else
        {
            // Underdetermined: aᵀ = Q·R, so a = Rᵀ·Qᵀ and the minimum-norm x = Q·[R⁻ᵀ·b; 0].
            var qr = new Householder(a, transpose: true);
            var x = new double[cols];
            for (var k = 0; k < rows; k++)
            {
                var s = b[k];
                for (var j = 0; j < k; j++)
                {
                    s -= qr.R(j, k) * x[j];
                }
                x[k] = s / qr.Diagonal(k);
            }
            qr.ApplyQ(x);
            return x;
        }
    }

    /// <summary>Householder QR of an m×n matrix (m ≥ n), reflectors stored below the diagonal.</summary>
    private sealed class Householder
    {
        private readonly double[,] _qr;
        private readonly double[] _diagonal;
        private readonly int _m;
        private readonly int _n;

        public Householder(double[,] source, bool transpose)
        {
            _m = transpose ? source.GetLength(1) : source.GetLength(0);
            _n = transpose ? source.GetLength(0) : source.GetLength(1);
            _qr = new double[_m, _n];
            for (var i = 0; i < _m; i++)
            {
                for (var j = 0; j < _n; j++)
                {
                    _qr[i, j] = transpose ? source[j, i] : source[i, j];
                }
            }
            _diagonal = new double[_n];
            for (var k = 0; k < _n; k++)
            {
                var norm = 0.0;
                for (var i = k; i < _m; i++)
                {
                    norm = double.Hypot(norm, _qr[i, k]);
                }
                if (norm == 0)
                {
                    throw new ArgumentException("The least-squares system is rank deficient.");
                }
                if (_qr[k, k] < 0)
                {
                    norm = -norm;
                }
                for (var i = k; i < _m; i++)
                {
                    _qr[i, k] /= norm;
                }
                _qr[k, k] += 1.0;
                for (var j = k + 1; j < _n; j++)
                {
                    var s = 0.0;
                    for (var i = k; i < _m; i++)
                    {
                        s += _qr[i, k] * _qr[i, j];
                    }
                    s = -s / _qr[k, k];
                    for (var i = k; i < _m; i++)
                    {
                        _qr[i, j] += s * _qr[i, k];
                    }
                }
                _diagonal[k] = -norm;
            }
        }

        public double Diagonal(int k) => _diagonal[k];

        public double R(int row, int col) => _qr[row, col];

        public void ApplyQTranspose(Span<double> v)
        {
            for (var k = 0; k < _n; k++)
            {
                Reflect(k, v);
            }
        }

        public void ApplyQ(Span<double> v)
        {
            for (var k = _n - 1; k >= 0; k--)
            {
                Reflect(k, v);
            }
        }

        private void Reflect(int k, Span<double> v)
        {
            var s = 0.0;
            for (var i = k; i < _m; i++)
            {
                s += _qr[i, k] * v[i];
            }
            s = -s / _qr[k, k];
            for (var i = k; i < _m; i++)
            {
                v[i] += s * _qr[i, k];
            }
        }
    }
}
