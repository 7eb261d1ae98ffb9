namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>
/// A scalar of time through keyframes, held constant outside them and eased between consecutive keys, with
/// analytic derivatives and integral. Speeds use a half-cosine ease (speed and acceleration continuous, the
/// integral is the distance); positions use the quintic minimum-jerk ease so that velocity and acceleration
/// are both continuous (a lane change starts without a step in lateral acceleration).
/// </summary>
internal sealed class EasedProfile
{
    private readonly List<double> _times = [];
    private readonly List<double> _values = [];
    private readonly List<double> _cumulative = [];
    private readonly bool _quintic;

    private EasedProfile(double time, double value, bool quintic)
    {
        _times.Add(time);
        _values.Add(value);
        _cumulative.Add(0);
        _quintic = quintic;
    }

    /// <summary>A speed-like profile (half-cosine ease).</summary>
    public static EasedProfile Speed(double time, double value) => new(time, value, quintic: false);

    /// <summary>A position-like profile (minimum-jerk ease).</summary>
    public static EasedProfile Position(double time, double value) => new(time, value, quintic: true);

    public double LastTime => _times[^1];

    public double LastValue => _values[^1];

    /// <summary>Adds a key; keys must be strictly later than the last one.</summary>
    public EasedProfile To(double time, double value)
    {
        if (!(time > LastTime))
        {
            throw new InvalidOperationException($"Keyframe at {time} s is not after {LastTime} s.");
        }
        // Both eases are point-symmetric, so a whole segment integrates to the mean of its end values.
        _cumulative.Add(_cumulative[^1] + (time - LastTime) * (LastValue + value) / 2);
        _times.Add(time);
        _values.Add(value);
        return this;
    }

    /// <summary>Holds the current value until <paramref name="time"/>.</summary>
    public EasedProfile Hold(double time) => To(time, LastValue);

    public double Value(double t)
    {
        var k = Segment(t, out var tau, out _);
        return k < 0 ? Edge(t) : _values[k] + (_values[k + 1] - _values[k]) * Ease(tau);
    }

    public double Rate(double t)
    {
        var k = Segment(t, out var tau, out var duration);
        return k < 0 ? 0 : (_values[k + 1] - _values[k]) * EaseRate(tau) / duration;
    }

    public double SecondRate(double t)
    {
        var k = Segment(t, out var tau, out var duration);
        return k < 0 ? 0 : (_values[k + 1] - _values[k]) * EaseSecondRate(tau) / (duration * duration);
    }

    private double Ease(double u) =>
        _quintic ? u * u * u * (10 + u * (-15 + 6 * u)) : (1 - Math.Cos(Math.PI * u)) / 2;

    private double EaseRate(double u) =>
        _quintic ? 30 * u * u * (1 + u * (-2 + u)) : Math.PI / 2 * Math.Sin(Math.PI * u);

    private double EaseSecondRate(double u) =>
        _quintic ? 60 * u * (1 + u * (-3 + 2 * u)) : Math.PI * Math.PI / 2 * Math.Cos(Math.PI * u);

    /// <summary>∫₀ᵘ ease.</summary>
    private double EaseIntegral(double u) =>
        _quintic ? u * u * u * u * (2.5 + u * (-3 + u)) : (u - Math.Sin(Math.PI * u) / Math.PI) / 2;

    /// <summary>∫ value from the first key time to <paramref name="t"/> (negative before it).</summary>
    public double Integral(double t)
    {
        if (t <= _times[0])
        {
            return _values[0] * (t - _times[0]);
        }
        var last = _times.Count - 1;
        if (t >= _times[last])
        {
            return _cumulative[last] + _values[last] * (t - _times[last]);
        }
        var k = Segment(t, out _, out _);
        return _cumulative[k] + SegmentIntegral(k, t);
    }

    private double SegmentIntegral(int k, double t)
    {
        var t0 = _times[k];
        var dt = t - t0;
        var duration = _times[k + 1] - t0;
        return _values[k] * dt + (_values[k + 1] - _values[k]) * duration * EaseIntegral(dt / duration);
    }

    private double Edge(double t) => t <= _times[0] ? _values[0] : _values[^1];

    /// <summary>Index of the key segment containing t, or −1 outside the keys.</summary>
    private int Segment(double t, out double tau, out double duration)
    {
        tau = 0;
        duration = 1;
        if (t <= _times[0] || t >= _times[^1])
        {
            return -1;
        }
        var index = _times.BinarySearch(t);
        var k = index >= 0 ? index : ~index - 1;
        duration = _times[k + 1] - _times[k];
        tau = (t - _times[k]) / duration;
        return k;
    }
}
