using NuPlanBus.Domain.Numerics;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Metrics.Numerics;

/// <summary>Which acceleration an extractor reads (nuPlan's <c>acceleration_coordinate</c>).</summary>
public enum AccelerationComponent
{
    /// <summary>Centre acceleration x (vehicle frame, with nuPlan's centripetal/angular terms).</summary>
    Longitudinal,

    /// <summary>Centre acceleration y (vehicle frame).</summary>
    Lateral,

    /// <summary>|rear-axle acceleration|.</summary>
    Magnitude,
}

/// <summary>
/// The devkit's state extractors for the dynamics metrics (docs/nuplan-simulation.md §4.2): smoothed acceleration, jerk,
/// yaw rate and yaw acceleration, each rounded to 8 decimals like <c>np.round</c>.
/// </summary>
public static class EgoSignals
{
    public const int Decimals = 8;
    public const int AccelerationWindow = 8;
    public const int JerkWindow = 15;

    /// <summary>The yaw extractors get the devkit's default window: their 15 argument is never forwarded.</summary>
    public const int YawWindow = 5;

    public static long[] Timestamps(ReadOnlySpan<EgoState> states)
    {
        var times = new long[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            times[i] = states[i].TimeUs;
        }
        return times;
    }

    /// <summary>Raw per-state acceleration component, unsmoothed.</summary>
    public static double[] RawAcceleration(ReadOnlySpan<EgoState> states, AccelerationComponent component, VehicleParameters vehicle)
    {
        var values = new double[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            values[i] = component switch
            {
                AccelerationComponent.Longitudinal => states[i].CenterAcceleration(vehicle).X,
                AccelerationComponent.Lateral => states[i].CenterAcceleration(vehicle).Y,
                AccelerationComponent.Magnitude => states[i].AccelerationMagnitude,
                _ => throw new ArgumentOutOfRangeException(nameof(component)),
            };
        }
        return values;
    }

    /// <summary><c>extract_ego_acceleration</c>: W = min(8, n), p = 2, rounded. Needs at least 3 states.</summary>
    public static double[] Acceleration(ReadOnlySpan<EgoState> states, AccelerationComponent component, VehicleParameters vehicle)
    {
        var raw = RawAcceleration(states, component, vehicle);
        var smoothed = SavitzkyGolay.Filter(raw, Math.Min(AccelerationWindow, raw.Length), polyOrder: 2);
        RoundInPlace(smoothed, Decimals);
        return smoothed;
    }

    /// <summary><c>extract_ego_jerk</c>: derivative of the smoothed acceleration, W = min(15, n), p = 2, d = 1.</summary>
    public static double[] Jerk(ReadOnlySpan<EgoState> states, AccelerationComponent component, VehicleParameters vehicle)
    {
        var acceleration = Acceleration(states, component, vehicle);
        var jerk = ApproximateDerivatives(acceleration, Timestamps(states), Math.Min(JerkWindow, acceleration.Length), polyOrder: 2, deriv: 1);
        RoundInPlace(jerk, Decimals);
        return jerk;
    }

    /// <summary><c>extract_ego_yaw_rate</c>: unwrapped heading, W = min(5, n), p = 2, d = 1.</summary>
    public static double[] YawRate(ReadOnlySpan<EgoState> states) => HeadingDerivative(states, polyOrder: 2, deriv: 1);

    /// <summary>Yaw acceleration: unwrapped heading, W = min(5, n), p = 3, d = 2. Needs at least 4 states.</summary>
    public static double[] YawAcceleration(ReadOnlySpan<EgoState> states) => HeadingDerivative(states, polyOrder: 3, deriv: 2);

    /// <summary>
    /// nuPlan's <c>phase_unwrap</c>: u_j = h_j − 2π·Σ_{m≤j} round((h_m − h_{m−1}) / 2π), round half to even.
    /// Unlike numpy.unwrap it removes whole turns only where a step exceeds half a turn in rounding terms.
    /// </summary>
    public static void PhaseUnwrap(ReadOnlySpan<double> headings, Span<double> output)
    {
        if (headings.Length == 0)
        {
            return;
        }
        var turns = 0.0;
        output[0] = headings[0];
        for (var j = 1; j < headings.Length; j++)
        {
            turns += Math.Round((headings[j] - headings[j - 1]) / (2.0 * Math.PI), MidpointRounding.ToEven);
            output[j] = headings[j] - 2.0 * Math.PI * turns;
        }
    }

    /// <summary>
    /// <c>approximate_derivatives</c>: Savitzky–Golay derivative with Δ = mean spacing of <paramref name="timesUs"/>
    /// in seconds; the timestamps must be strictly increasing.
    /// </summary>
    public static double[] ApproximateDerivatives(ReadOnlySpan<double> values, ReadOnlySpan<long> timesUs, int windowLength, int polyOrder, int deriv)
    {
        windowLength = Math.Min(windowLength, timesUs.Length);
        if (polyOrder >= windowLength)
        {
            throw new ArgumentException(
                $"Cannot differentiate {timesUs.Length} samples with polynomial order {polyOrder} (window {windowLength}).");
        }
        var spacingSum = 0.0;
        for (var i = 1; i < timesUs.Length; i++)
        {
            var dx = timesUs[i] / 1e6 - timesUs[i - 1] / 1e6;
            if (!(dx > 0))
            {
                throw new ArgumentException("Timestamps must be strictly increasing to differentiate.");
            }
            spacingSum += dx;
        }
        var delta = spacingSum / (timesUs.Length - 1);
        return SavitzkyGolay.Filter(values, windowLength, polyOrder, deriv, delta);
    }

    /// <summary><c>np.round(values, decimals)</c>: scale, round half to even, unscale.</summary>
    public static void RoundInPlace(Span<double> values, int decimals)
    {
        var factor = Math.Pow(10, decimals);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(values[i] * factor, MidpointRounding.ToEven) / factor;
        }
    }

    private static double[] HeadingDerivative(ReadOnlySpan<EgoState> states, int polyOrder, int deriv)
    {
        var headings = new double[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            headings[i] = states[i].RearAxle.Heading;
        }
        var unwrapped = new double[states.Length];
        PhaseUnwrap(headings, unwrapped);
        var result = ApproximateDerivatives(unwrapped, Timestamps(states), YawWindow, polyOrder, deriv);
        RoundInPlace(result, Decimals);
        return result;
    }
}
