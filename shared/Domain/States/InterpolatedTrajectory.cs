using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Domain.States;

/// <summary>A planned or recorded sequence of ego states that can be sampled at any time inside its span.</summary>
public interface ITrajectory
{
    long StartTimeUs { get; }

    long EndTimeUs { get; }

    /// <summary>The states the trajectory was built from, in time order.</summary>
    IReadOnlyList<EgoState> SampledStates { get; }

    EgoState Interpolate(long timeUs);
}

/// <summary>
/// nuPlan's InterpolatedTrajectory over ego states: time, rear-axle position, velocity, acceleration and
/// steering angle linear in µs; heading unwrapped, interpolated linearly and wrapped back to [−π, π);
/// angular velocity and acceleration of interpolated states are zero.
/// </summary>
public sealed class InterpolatedTrajectory : ITrajectory
{
    private readonly EgoState[] _states;
    private readonly double[] _unwrappedHeadings;

    public InterpolatedTrajectory(EgoState[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Length < 2)
        {
            throw new ArgumentException("A trajectory needs at least two states.", nameof(states));
        }
        for (var i = 1; i < states.Length; i++)
        {
            if (states[i].TimeUs < states[i - 1].TimeUs)
            {
                throw new ArgumentException("Trajectory states must be in time order.", nameof(states));
            }
        }
        _states = states;
        var headings = new double[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            headings[i] = states[i].RearAxle.Heading;
        }
        _unwrappedHeadings = new double[states.Length];
        Angles.Unwrap(headings, _unwrappedHeadings);
    }

    public long StartTimeUs => _states[0].TimeUs;

    public long EndTimeUs => _states[^1].TimeUs;

    public IReadOnlyList<EgoState> SampledStates => _states;

    public EgoState Interpolate(long timeUs)
    {
        if (timeUs < StartTimeUs || timeUs > EndTimeUs)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeUs), timeUs, $"Time must lie within the trajectory [{StartTimeUs}, {EndTimeUs}] µs.");
        }
        var upper = UpperIndex(timeUs);
        var lower = upper - 1;
        var a = _states[lower];
        var b = _states[upper];
        var span = (double)(b.TimeUs - a.TimeUs);
        var f = span <= 0 ? 0.0 : (timeUs - a.TimeUs) / span;
        var heading = Angles.PrincipalValue(Lerp(_unwrappedHeadings[lower], _unwrappedHeadings[upper], f));
        return new EgoState(
            (long)Lerp(a.TimeUs, b.TimeUs, f),
            new Pose(Lerp(a.RearAxle.X, b.RearAxle.X, f), Lerp(a.RearAxle.Y, b.RearAxle.Y, f), heading),
            new Vector2(Lerp(a.RearAxleVelocity.X, b.RearAxleVelocity.X, f), Lerp(a.RearAxleVelocity.Y, b.RearAxleVelocity.Y, f)),
            new Vector2(Lerp(a.RearAxleAcceleration.X, b.RearAxleAcceleration.X, f), Lerp(a.RearAxleAcceleration.Y, b.RearAxleAcceleration.Y, f)),
            Lerp(a.TireSteeringAngle, b.TireSteeringAngle, f));
    }

    /// <summary>Index of the first state strictly after <paramref name="timeUs"/>, clamped to [1, n−1].</summary>
    private int UpperIndex(long timeUs)
    {
        int lo = 1, hi = _states.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_states[mid].TimeUs <= timeUs)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static double Lerp(double a, double b, double f) => a + (b - a) * f;
}
