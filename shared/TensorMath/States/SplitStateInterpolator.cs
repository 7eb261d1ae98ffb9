namespace NuPlanBus.TensorMath.States;

/// <summary>
/// Interpolates a time-ordered sequence of states through their split form, as nuPlan's
/// InterpolatedTrajectory does: fixed parts from the first sample; linear parts piecewise linear in
/// <c>time_us</c>; angular parts unwrapped along time (numpy semantics), interpolated linearly and wrapped
/// to [−π, π) with <c>((θ + π) mod 2π) − π</c>. Requests outside [start, end] fail.
/// </summary>
public sealed class SplitStateInterpolator<TState>
    where TState : IInterpolatableState<TState>
{
    private readonly TState[] _states;
    private readonly long[] _times;
    private readonly double[] _linear;    // [n, linearCount] row-major
    private readonly double[] _angular;   // [n, angularCount] row-major, unwrapped along time
    private readonly IReadOnlyList<object?> _fixed;
    private readonly int _linearCount;
    private readonly int _angularCount;

    /// <exception cref="ArgumentException">Fewer than 2 states, times out of order, or splits of different layouts.</exception>
    public SplitStateInterpolator(IReadOnlyList<TState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count < 2)
        {
            throw new ArgumentException("Interpolation needs at least 2 states.", nameof(states));
        }
        var n = states.Count;
        _states = [.. states];
        _times = new long[n];
        var first = _states[0].ToSplitState();
        _linearCount = first.Linear.Count;
        _angularCount = first.Angular.Count;
        _fixed = first.Fixed;
        _linear = new double[n * _linearCount];
        _angular = new double[n * _angularCount];
        for (var i = 0; i < n; i++)
        {
            var split = i == 0 ? first : _states[i].ToSplitState();
            if (split.Linear.Count != _linearCount || split.Angular.Count != _angularCount || split.Fixed.Count != _fixed.Count)
            {
                throw new ArgumentException($"State {i} splits differently from state 0.", nameof(states));
            }
            _times[i] = _states[i].TimeUs;
            if (i > 0 && _times[i] < _times[i - 1])
            {
                throw new ArgumentException($"States must be in time order (state {i} at {_times[i]} µs is before {_times[i - 1]} µs).", nameof(states));
            }
            for (var j = 0; j < _linearCount; j++)
            {
                _linear[i * _linearCount + j] = split.Linear[j];
            }
            for (var j = 0; j < _angularCount; j++)
            {
                _angular[i * _angularCount + j] = split.Angular[j];
            }
        }
        UnwrapColumns(_angular, n, _angularCount);
    }

    public long StartTimeUs => _times[0];

    public long EndTimeUs => _times[^1];

    public IReadOnlyList<TState> SampledStates => _states;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeUs"/> outside [start, end].</exception>
    public TState Interpolate(long timeUs) => TState.FromSplitState(InterpolateSplit(timeUs));

    /// <summary>The split state at <paramref name="timeUs"/>, before it is rebuilt into a state.</summary>
    public SplitState InterpolateSplit(long timeUs)
    {
        if (timeUs < StartTimeUs || timeUs > EndTimeUs)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeUs), timeUs, $"Time must lie within [{StartTimeUs}, {EndTimeUs}] µs.");
        }
        var upper = UpperIndex(timeUs);
        var lower = upper - 1;
        var span = (double)(_times[upper] - _times[lower]);
        var f = span <= 0 ? 0.0 : (timeUs - _times[lower]) / span;
        var linear = new double[_linearCount];
        for (var j = 0; j < _linearCount; j++)
        {
            linear[j] = Lerp(_linear[lower * _linearCount + j], _linear[upper * _linearCount + j], f);
        }
        var angular = new double[_angularCount];
        for (var j = 0; j < _angularCount; j++)
        {
            angular[j] = Domain.Geometry.Angles.PrincipalValue(
                Lerp(_angular[lower * _angularCount + j], _angular[upper * _angularCount + j], f));
        }
        return new SplitState(linear, angular, _fixed);
    }

    private static void UnwrapColumns(double[] values, int rows, int columns)
    {
        if (columns == 0)
        {
            return;
        }
        var column = new double[rows];
        var unwrapped = new double[rows];
        for (var j = 0; j < columns; j++)
        {
            for (var i = 0; i < rows; i++)
            {
                column[i] = values[i * columns + j];
            }
            Domain.Geometry.Angles.Unwrap(column, unwrapped);
            for (var i = 0; i < rows; i++)
            {
                values[i * columns + j] = unwrapped[i];
            }
        }
    }

    /// <summary>Index of the first sample strictly after <paramref name="timeUs"/>, clamped to [1, n−1].</summary>
    private int UpperIndex(long timeUs)
    {
        int lo = 1, hi = _times.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_times[mid] <= timeUs)
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
