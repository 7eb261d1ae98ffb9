using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Controllers;

/// <summary>What a tracker asks of the motion model: a longitudinal acceleration and a tire steering rate.</summary>
public readonly record struct TrackerCommand(double Acceleration, double SteeringRate);

/// <summary>
/// nuPlan's LQRTracker (docs/nuplan-simulation.md §3.6.1): a one-step longitudinal LQR on the speed one horizon ahead and a
/// one-step lateral LQR over the composed linear time-varying error dynamics, or a proportional stop.
/// Stateful scratch buffers: one instance per simulation, not thread-safe.
/// </summary>
public sealed class LqrTracker
{
    private readonly LqrTrackerOptions _options;
    private readonly double _wheelBase;
    private readonly long _stepUs;
    private readonly ProfileFitter _fitter = new();
    private readonly double[] _curvatureHorizon;
    private double[] _timesS = new double[128];
    private double[] _xs = new double[128];
    private double[] _ys = new double[128];
    private double[] _headings = new double[128];
    private double[] _velocity = new double[128];
    private double[] _curvature = new double[128];
    private double[] _rawHeadings = new double[64];
    private double[] _unwrappedHeadings = new double[64];

    public LqrTracker(VehicleParameters vehicle, LqrTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        _options = options ?? LqrTrackerOptions.Default;
        _options.Validate();
        _wheelBase = vehicle.WheelBase;
        _stepUs = (long)(_options.DiscretizationTimeS * 1e6);
        _curvatureHorizon = new double[_options.TrackingHorizon];
    }

    public LqrTrackerOptions Options => _options;

    /// <summary>The reference velocity the last call tracked (diagnostics and tests).</summary>
    public double LastReferenceVelocity { get; private set; }

    /// <summary>Whether the last call used the stopping controller.</summary>
    public bool LastWasStopping { get; private set; }

    public TrackerCommand Track(SimulationIteration current, in EgoState initial, ITrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var dt = _options.DiscretizationTimeS;
        var horizon = _options.TrackingHorizon;

        // Initial error in the reference frame at the current time.
        var reference = trajectory.Interpolate(current.TimeUs);
        var xError = initial.RearAxle.X - reference.RearAxle.X;
        var yError = initial.RearAxle.Y - reference.RearAxle.Y;
        var referenceHeading = reference.RearAxle.Heading;
        var lateralError = -xError * Math.Sin(referenceHeading) + yError * Math.Cos(referenceHeading);
        var headingError = Angles.PrincipalValue(initial.RearAxle.Heading - referenceHeading);
        var v0 = initial.RearAxleVelocity.X;
        var steeringAngle = initial.TireSteeringAngle;

        // Reference profiles on the resampled trajectory.
        var count = Resample(trajectory);
        var profileLength = count - 1;
        _fitter.Fit(
            _xs.AsSpan(0, count), _ys.AsSpan(0, count), _headings.AsSpan(0, count), dt,
            _options.JerkPenalty, _options.CurvatureRatePenalty, _options.InitialCurvaturePenalty,
            _velocity.AsSpan(0, profileLength), _curvature.AsSpan(0, profileLength));
        var profileTimes = _timesS.AsSpan(0, profileLength);
        var nowS = current.TimeUs * 1e-6;
        var referenceVelocity = Interp(nowS + horizon * dt, profileTimes, _velocity.AsSpan(0, profileLength));
        for (var i = 0; i < horizon; i++)
        {
            _curvatureHorizon[i] = Interp(nowS + i * dt, profileTimes, _curvature.AsSpan(0, profileLength));
        }
        LastReferenceVelocity = referenceVelocity;

        if (referenceVelocity <= _options.StoppingVelocity && v0 <= _options.StoppingVelocity)
        {
            LastWasStopping = true;
            return new TrackerCommand(-_options.StoppingProportionalGain * (v0 - referenceVelocity), 0.0);
        }
        LastWasStopping = false;

        // Longitudinal: v_N = v0 + (N·dt)·a, one-step LQR towards the reference velocity.
        var bLon = horizon * dt;
        var gainLon = -(1.0 / (bLon * _options.QLongitudinal * bLon + _options.RLongitudinal));
        var acceleration = gainLon * bLon * _options.QLongitudinal * (v0 - referenceVelocity);

        // Lateral: compose e' = A_i e + B_i u + g_i over the horizon with v_i = v0 + i·a·dt.
        double a00 = 1, a01 = 0, a02 = 0, a10 = 0, a11 = 1, a12 = 0, a20 = 0, a21 = 0, a22 = 1;
        double b0 = 0, b1 = 0, b2 = 0;
        double g0 = 0, g1 = 0, g2 = 0;
        var velocitySum = 0.0;
        for (var i = 0; i < horizon; i++)
        {
            var v = v0 + velocitySum;
            velocitySum += acceleration * dt;
            var m01 = v * dt;
            var m12 = v * dt / _wheelBase;
            var affine = -v * _curvatureHorizon[i] * dt;

            // Row 0 uses the old row 1, row 1 the old row 2 (row 2 is unchanged).
            a00 += m01 * a10;
            a01 += m01 * a11;
            a02 += m01 * a12;
            a10 += m12 * a20;
            a11 += m12 * a21;
            a12 += m12 * a22;

            b0 += m01 * b1;
            b1 += m12 * b2;
            b2 += dt;

            g0 += m01 * g1;
            g1 += m12 * g2 + affine;
        }
        var e0 = a00 * lateralError + a01 * headingError + a02 * steeringAngle + g0;
        var e1 = Angles.PrincipalValue(a10 * lateralError + a11 * headingError + a12 * steeringAngle + g1);
        var e2 = Angles.PrincipalValue(a20 * lateralError + a21 * headingError + a22 * steeringAngle + g2);
        var q0 = _options.QLateralError;
        var q1 = _options.QHeadingError;
        var q2 = _options.QSteeringAngle;
        var denominator = b0 * q0 * b0 + b1 * q1 * b1 + b2 * q2 * b2 + _options.RLateral;
        var steeringRate = -(1.0 / denominator) * (b0 * q0 * e0 + b1 * q1 * e1 + b2 * q2 * e2);
        return new TrackerCommand(acceleration, steeringRate);
    }

    /// <summary>Resamples the rear-axle poses every discretization step from start to end (end included
    /// when it falls on the grid), as nuPlan's get_interpolated_reference_trajectory_poses.</summary>
    private int Resample(ITrajectory trajectory)
    {
        var start = trajectory.StartTimeUs;
        var end = trajectory.EndTimeUs;
        if (end <= start)
        {
            throw new InvalidOperationException("The LQR tracker needs a trajectory with a positive duration.");
        }
        var count = (int)((end - start + _stepUs - 1) / _stepUs);
        var last = start + (count - 1) * _stepUs;
        if (last + _stepUs <= end)
        {
            count++;
        }
        if (count < 2)
        {
            throw new InvalidOperationException(
                $"The trajectory spans {(end - start) * 1e-6} s, shorter than one tracker step of {_options.DiscretizationTimeS} s.");
        }
        EnsureCapacity(count);
        if (trajectory is InterpolatedTrajectory && trajectory.SampledStates is EgoState[] states)
        {
            ResampleSequentially(states, start, count);
            return count;
        }
        for (var i = 0; i < count; i++)
        {
            var t = start + i * _stepUs;
            var pose = trajectory.Interpolate(t).RearAxle;
            _timesS[i] = t / 1e6;
            _xs[i] = pose.X;
            _ys[i] = pose.Y;
            _headings[i] = pose.Heading;
        }
        return count;
    }

    /// <summary>
    /// The poses <see cref="InterpolatedTrajectory.Interpolate"/> gives at increasing times, with the same arithmetic
    /// (so the same bits), but walking the states once instead of a binary search and a full state per sample.
    /// </summary>
    private void ResampleSequentially(EgoState[] states, long start, int count)
    {
        var n = states.Length;
        if (_rawHeadings.Length < n)
        {
            _rawHeadings = new double[Math.Max(n, _rawHeadings.Length * 2)];
            _unwrappedHeadings = new double[_rawHeadings.Length];
        }
        var raw = _rawHeadings.AsSpan(0, n);
        var unwrapped = _unwrappedHeadings.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            raw[i] = states[i].RearAxle.Heading;
        }
        Angles.Unwrap(raw, unwrapped);
        var upper = 1;
        for (var i = 0; i < count; i++)
        {
            var t = start + i * _stepUs;
            while (upper < n - 1 && states[upper].TimeUs <= t)
            {
                upper++;
            }
            var lower = upper - 1;
            ref readonly var a = ref states[lower];
            ref readonly var b = ref states[upper];
            var span = (double)(b.TimeUs - a.TimeUs);
            var f = span <= 0 ? 0.0 : (t - a.TimeUs) / span;
            _timesS[i] = t / 1e6;
            _xs[i] = a.RearAxle.X + (b.RearAxle.X - a.RearAxle.X) * f;
            _ys[i] = a.RearAxle.Y + (b.RearAxle.Y - a.RearAxle.Y) * f;
            _headings[i] = Angles.PrincipalValue(unwrapped[lower] + (unwrapped[upper] - unwrapped[lower]) * f);
        }
    }

    private void EnsureCapacity(int count)
    {
        if (_xs.Length >= count)
        {
            return;
        }
        var size = Math.Max(count, _xs.Length * 2);
        _timesS = new double[size];
        _xs = new double[size];
        _ys = new double[size];
        _headings = new double[size];
        _velocity = new double[size];
        _curvature = new double[size];
    }

    /// <summary>numpy.interp: linear, clamped to the end values outside the sample range.</summary>
    internal static double Interp(double x, ReadOnlySpan<double> xp, ReadOnlySpan<double> fp)
    {
        var n = xp.Length;
        if (n == 1 || x <= xp[0])
        {
            return fp[0];
        }
        if (x >= xp[n - 1])
        {
            return fp[n - 1];
        }
        int lo = 0, hi = n - 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >>> 1;
            if (xp[mid] <= x)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        var slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
        return slope * (x - xp[lo]) + fp[lo];
    }
}
