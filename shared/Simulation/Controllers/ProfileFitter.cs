using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Simulation.Controllers;

/// <summary>
/// nuPlan's get_velocity_curvature_profiles_with_derivatives_from_poses: regularised least-squares fits of
/// [v0, a…] to the pose displacements and of [κ0, κ̇…] to the heading changes.
/// </summary>
/// <remarks>
/// Both fits are solved in the space of the integrated quantity (distance per step for the velocity fit,
/// distance-per-speed for the curvature fit). There the dense normal equations of the devkit become
/// banded (penta- resp. tridiagonal) with the same minimiser, so a step costs O(N) instead of O(N³).
/// Buffers grow to the longest trajectory seen and are reused.
/// </remarks>
internal sealed class ProfileFitter
{
    private double[] _diag = new double[16];
    private double[] _off1 = new double[16];
    private double[] _off2 = new double[16];
    private double[] _rhs = new double[16];
    private double[] _solution = new double[16];

    /// <summary>
    /// Fits the profiles to <paramref name="count"/> poses sampled every <paramref name="dt"/> seconds and
    /// writes count − 1 velocities and curvatures.
    /// </summary>
    public void Fit(
        ReadOnlySpan<double> xs,
        ReadOnlySpan<double> ys,
        ReadOnlySpan<double> headings,
        double dt,
        double jerkPenalty,
        double curvatureRatePenalty,
        double initialCurvaturePenalty,
        Span<double> velocity,
        Span<double> curvature)
    {
        var m = xs.Length - 1;
        if (m < 1)
        {
            throw new ArgumentException("Cannot fit profiles to fewer than two poses.");
        }
        EnsureCapacity(m);
        var diag = _diag.AsSpan(0, m);
        var off1 = _off1.AsSpan(0, m);
        var off2 = _off2.AsSpan(0, m);
        var rhs = _rhs.AsSpan(0, m);
        var u = _solution.AsSpan(0, m);

        // Velocity: u_k = v0·dt + dt²·Σ_{j<k} a_j is the distance covered in step k along heading h_k.
        // ‖d_k − (cos h_k, sin h_k)·u_k‖² = (u_k − proj_k)² + const, and the jerk penalty on a becomes
        // (λ/dt⁴)·Σ (u_{j+1} − 2u_j + u_{j−1})².
        diag.Fill(1.0);
        off1.Clear();
        off2.Clear();
        for (var k = 0; k < m; k++)
        {
            var (s, c) = Math.SinCos(headings[k]);
            rhs[k] = c * (xs[k + 1] - xs[k]) + s * (ys[k + 1] - ys[k]);
        }
        var mu = jerkPenalty / (dt * dt * dt * dt);
        for (var j = 1; j + 1 < m; j++)
        {
            diag[j - 1] += mu;
            diag[j] += 4 * mu;
            diag[j + 1] += mu;
            off1[j - 1] += -2 * mu;
            off1[j] += -2 * mu;
            off2[j - 1] += mu;
        }
        SolveBanded(diag, off1, off2, rhs, u);

        var v0 = u[0] / dt;
        velocity[0] = v0;
        var sum = 0.0;
        for (var k = 1; k < m; k++)
        {
            var acceleration = (u[k] - u[k - 1]) / (dt * dt);
            sum += acceleration * dt;
            velocity[k] = v0 + sum;
        }

        // Curvature: heading change k = v_k·z_k with z_k = κ0·dt + dt²·Σ_{j<k} κ̇_j; the penalties become
        // (ε/dt²)·z_0² + (ρ/dt⁴)·Σ (z_j − z_{j−1})².
        var p0 = initialCurvaturePenalty / (dt * dt);
        var p = curvatureRatePenalty / (dt * dt * dt * dt);
        off1.Clear();
        off2.Clear();
        for (var k = 0; k < m; k++)
        {
            var vk = velocity[k];
            diag[k] = vk * vk;
            rhs[k] = vk * Angles.PrincipalValue(headings[k + 1] - headings[k]);
        }
        diag[0] += p0;
        for (var j = 1; j < m; j++)
        {
            diag[j] += p;
            diag[j - 1] += p;
            off1[j - 1] -= p;
        }
        SolveBanded(diag, off1, off2, rhs, u);

        var kappa0 = u[0] / dt;
        curvature[0] = kappa0;
        sum = 0.0;
        for (var k = 1; k < m; k++)
        {
            var rate = (u[k] - u[k - 1]) / (dt * dt);
            sum += rate * dt;
            curvature[k] = kappa0 + sum;
        }
    }

    /// <summary>Cholesky solve of a symmetric positive-definite matrix with two off-diagonals (in place on the bands).</summary>
    private static void SolveBanded(Span<double> diag, Span<double> off1, Span<double> off2, ReadOnlySpan<double> rhs, Span<double> x)
    {
        var n = diag.Length;
        // After factorisation: diag[i] = L[i,i], off1[i] = L[i+1,i], off2[i] = L[i+2,i].
        for (var i = 0; i < n; i++)
        {
            var l2 = i >= 2 ? off2[i - 2] / diag[i - 2] : 0.0;
            var l1 = i >= 1 ? (off1[i - 1] - (i >= 2 ? l2 * off1[i - 2] : 0.0)) / diag[i - 1] : 0.0;
            var d = diag[i] - l1 * l1 - l2 * l2;
            if (!(d > 0))
            {
                throw new InvalidOperationException("The profile fit's normal equations are not positive definite.");
            }
            if (i >= 2)
            {
                off2[i - 2] = l2;
            }
            if (i >= 1)
            {
                off1[i - 1] = l1;
            }
            diag[i] = Math.Sqrt(d);
        }
        for (var i = 0; i < n; i++)
        {
            var w = rhs[i];
            if (i >= 1)
            {
                w -= off1[i - 1] * x[i - 1];
            }
            if (i >= 2)
            {
                w -= off2[i - 2] * x[i - 2];
            }
            x[i] = w / diag[i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var w = x[i];
            if (i + 1 < n)
            {
                w -= off1[i] * x[i + 1];
            }
            if (i + 2 < n)
            {
                w -= off2[i] * x[i + 2];
            }
            x[i] = w / diag[i];
        }
    }

    private void EnsureCapacity(int m)
    {
        if (_diag.Length >= m)
        {
            return;
        }
        var size = Math.Max(m, _diag.Length * 2);
        _diag = new double[size];
        _off1 = new double[size];
        _off2 = new double[size];
        _rhs = new double[size];
        _solution = new double[size];
    }
}
