using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;

namespace NuPlanBus.Metrics.Evaluation.OpenLoop;

/// <summary>
/// The comparison configuration of the open-loop metrics (config of planner_expert_average_l2_error_within_bound):
/// horizons in whole seconds and the comparison frequency in Hz. The horizon index is horizon // frequency, which
/// is only meaningful at 1 Hz (devkit quirk, kept).
/// </summary>
public sealed record OpenLoopComparison
{
    public OpenLoopComparison(IReadOnlyList<int> horizons, int frequency)
    {
        ArgumentNullException.ThrowIfNull(horizons);
        if (horizons.Count == 0 || frequency <= 0)
        {
            throw new ArgumentException("Open-loop comparison needs at least one horizon and a positive frequency.");
        }
        foreach (var horizon in horizons)
        {
            if (horizon / frequency <= 0)
            {
                throw new ArgumentException($"Horizon {horizon} s at {frequency} Hz gives no comparison point.", nameof(horizons));
            }
        }
        Horizons = horizons.ToArray();
        Frequency = frequency;
    }

    /// <summary>comparison_horizon [3, 5, 8] s, comparison_frequency 1 Hz.</summary>
    public static OpenLoopComparison Default { get; } = new([3, 5, 8], 1);

    public IReadOnlyList<int> Horizons { get; }

    public int Frequency { get; }

    public int MaxHorizon
    {
        get
        {
            var max = Horizons[0];
            foreach (var horizon in Horizons)
            {
                max = Math.Max(max, horizon);
            }
            return max;
        }
    }

    internal string Key => $"open_loop_errors:{string.Join(',', Horizons)}@{Frequency}";
}

/// <summary>
/// The error matrices planner_expert_average_l2_error_within_bound computes and the other four open-loop metrics
/// read (docs/nuplan-simulation.md §4.3.13), each [horizon index, sampled frame]: ADE, MDE (max), FDE, AHE, FHE.
/// </summary>
public sealed class OpenLoopErrors
{
    private OpenLoopErrors(
        OpenLoopComparison comparison,
        double[,] averageDisplacement,
        double[,] maximumDisplacement,
        double[,] finalDisplacement,
        double[,] averageHeading,
        double[,] finalHeading,
        long[] timestampsSampled,
        int[] selectedFrames)
    {
        Comparison = comparison;
        AverageDisplacement = averageDisplacement;
        MaximumDisplacement = maximumDisplacement;
        FinalDisplacement = finalDisplacement;
        AverageHeading = averageHeading;
        FinalHeading = finalHeading;
        TimestampsSampled = timestampsSampled;
        SelectedFrames = selectedFrames;
    }

    public OpenLoopComparison Comparison { get; }

    public double[,] AverageDisplacement { get; }

    public double[,] MaximumDisplacement { get; }

    public double[,] FinalDisplacement { get; }

    public double[,] AverageHeading { get; }

    public double[,] FinalHeading { get; }

    /// <summary>The times of the first #sampled entries of the expert list (the series timestamps).</summary>
    public long[] TimestampsSampled { get; }

    /// <summary>History indices of the sampled frames (0, step, 2·step, …).</summary>
    public int[] SelectedFrames { get; }

    /// <summary>The matrices for this scenario and comparison, computed once and shared by the five metrics.</summary>
    public static OpenLoopErrors Of(MetricInput input, OpenLoopComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return input.GetShared(comparison.Key, i => Compute(i, comparison));
    }

    public static OpenLoopErrors Compute(MetricInput input, OpenLoopComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(comparison);
        var scenario = input.Scenario;
        var samples = input.History.Samples;
        if (samples.Count == 0)
        {
            throw new InvalidOperationException("The simulation history has no samples.");
        }
        var vehicle = input.Vehicle;

        // Step between compared frames: int((1 / database_interval) / frequency), e.g. 10 at 0.1 s and 1 Hz.
        var expertFrequency = 1.0 / scenario.DatabaseIntervalS;
        var step = (int)(expertFrequency / comparison.Frequency);
        if (step <= 0)
        {
            throw new InvalidOperationException(
                $"Comparison frequency {comparison.Frequency} Hz exceeds the scenario frequency {expertFrequency} Hz.");
        }
        var frames = (samples.Count + step - 1) / step;
        var selectedFrames = new int[frames];
        for (var f = 0; f < frames; f++)
        {
            selectedFrames[f] = f * step;
        }

        // Expert list: every step-th expert state, then the logged future from the last sampled frame. Positional
        // concatenation, so a time can repeat where the two parts overlap (devkit quirk, kept).
        var maxHorizon = comparison.MaxHorizon;
        var expertTrajectory = scenario.ExpertTrajectory;
        var future = scenario.GetFutureEgoStates(selectedFrames[^1], maxHorizon, maxHorizon / comparison.Frequency);
        var expertStates = new List<EgoState>((expertTrajectory.Count + step - 1) / step + future.Count);
        for (var i = 0; i < expertTrajectory.Count; i += step)
        {
            expertStates.Add(expertTrajectory[i]);
        }
        expertStates.AddRange(future);
        var expertCount = expertStates.Count;
        var expertPoses = new Pose[expertCount];
        var expertTimes = new long[expertCount];
        for (var i = 0; i < expertCount; i++)
        {
            expertPoses[i] = expertStates[i].Center(vehicle);
            expertTimes[i] = expertStates[i].TimeUs;
        }
        if (expertCount < frames)
        {
            throw new InvalidOperationException($"The expert list has {expertCount} states for {frames} sampled frames.");
        }
        ExpertInterpolator? expertInterpolator = null;

        var horizons = comparison.Horizons;
        var ade = new double[horizons.Count, frames];
        var mde = new double[horizons.Count, frames];
        var fde = new double[horizons.Count, frames];
        var ahe = new double[horizons.Count, frames];
        var fhe = new double[horizons.Count, frames];
        var planned = new List<Pose>(maxHorizon + 2);
        var expert = new List<Pose>(maxHorizon + 2);
        var displacement = new double[maxHorizon + 2];
        var heading = new double[maxHorizon + 2];

        for (var j = 0; j < frames; j++)
        {
            var trajectory = samples[selectedFrames[j]].Trajectory;
            var endUs = trajectory.EndTimeUs;
            var futureHorizonFrame = j + maxHorizon;

            // Plan at the expert times of list positions j … j + max horizon that it covers.
            planned.Clear();
            var last = Math.Min(futureHorizonFrame, expertCount - 1);
            for (var p = j; p <= last; p++)
            {
                if (expertTimes[p] <= endUs)
                {
                    planned.Add(trajectory.Interpolate(expertTimes[p]).Center(vehicle));
                }
            }
            expert.Clear();
            if (planned.Count < maxHorizon + 1)
            {
                // The plan ends before the horizon: compare its last state with the expert at the plan's end time.
                planned.Add(trajectory.SampledStates[^1].Center(vehicle));
                for (var p = j + 1; p < Math.Min(futureHorizonFrame, expertCount); p++)
                {
                    expert.Add(expertPoses[p]);
                }
                expertInterpolator ??= new ExpertInterpolator(expertStates);
                expert.Add(expertInterpolator.Interpolate(endUs).Center(vehicle));
            }
            else
            {
                for (var p = j + 1; p < Math.Min(futureHorizonFrame + 1, expertCount); p++)
                {
                    expert.Add(expertPoses[p]);
                }
            }

            // compute_traj_errors: over planned[1:], the expert list may be one longer.
            var count = planned.Count - 1;
            if (count == 0 || (count != expert.Count && count != expert.Count - 1))
            {
                throw new InvalidOperationException(
                    $"Planned and expert trajectories of frame {selectedFrames[j]} differ in length ({count} vs {expert.Count}); "
                    + "the plan or the logged future is too short for the comparison.");
            }
            for (var i = 0; i < count; i++)
            {
                var plan = planned[i + 1];
                displacement[i] = double.Hypot(plan.X - expert[i].X, plan.Y - expert[i].Y);
                heading[i] = Angles.HeadingError(plan.Heading, expert[i].Heading);
            }

            for (var h = 0; h < horizons.Count; h++)
            {
                var k = horizons[h] / comparison.Frequency;
                if (k > count)
                {
                    throw new InvalidOperationException(
                        $"Frame {selectedFrames[j]} has {count} comparison points, fewer than the {horizons[h]} s horizon needs ({k}).");
                }
                var sum = 0.0;
                var max = double.NegativeInfinity;
                var headingSum = 0.0;
                for (var i = 0; i < k; i++)
                {
                    sum += displacement[i];
                    max = double.IsNaN(displacement[i]) || double.IsNaN(max) ? double.NaN : Math.Max(max, displacement[i]);
                    headingSum += heading[i];
                }
                ade[h, j] = sum / k;
                mde[h, j] = max;
                fde[h, j] = displacement[k - 1];
                ahe[h, j] = headingSum / k;
                fhe[h, j] = heading[k - 1];
            }
        }

        var timestamps = new long[frames];
        Array.Copy(expertTimes, timestamps, frames);
        return new OpenLoopErrors(comparison, ade, mde, fde, ahe, fhe, timestamps, selectedFrames);
    }

    /// <summary>
    /// The devkit's InterpolatedTrajectory over the (possibly unsorted) expert list: headings unwrapped in list order,
    /// then scipy interp1d semantics — points stably sorted by time, left search, y = slope·(t − x_lo) + y_lo.
    /// The query must lie between the list's first and last times, as the devkit asserts.
    /// </summary>
    private sealed class ExpertInterpolator
    {
        private readonly double[] _times;
        private readonly double[] _x;
        private readonly double[] _y;
        private readonly double[] _heading;
        private readonly long _startUs;
        private readonly long _endUs;

        public ExpertInterpolator(List<EgoState> states)
        {
            var n = states.Count;
            if (n < 2)
            {
                throw new InvalidOperationException($"The expert list has {n} state(s); interpolation needs two.");
            }
            _startUs = states[0].TimeUs;
            _endUs = states[^1].TimeUs;
            var headings = new double[n];
            for (var i = 0; i < n; i++)
            {
                headings[i] = states[i].RearAxle.Heading;
            }
            var unwrapped = new double[n];
            Angles.Unwrap(headings, unwrapped);
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }
            // Stable by time (scipy sorts with mergesort); ties keep list order.
            var keys = new long[n];
            for (var i = 0; i < n; i++)
            {
                keys[i] = states[i].TimeUs;
            }
            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
            _times = new double[n];
            _x = new double[n];
            _y = new double[n];
            _heading = new double[n];
            for (var i = 0; i < n; i++)
            {
                var s = states[order[i]];
                _times[i] = s.TimeUs;
                _x[i] = s.RearAxle.X;
                _y[i] = s.RearAxle.Y;
                _heading[i] = unwrapped[order[i]];
            }
        }

        public EgoState Interpolate(long timeUs)
        {
            if (timeUs < _startUs || timeUs > _endUs)
            {
                throw new InvalidOperationException(
                    $"Interpolation time {timeUs} µs is outside the expert list [{_startUs}, {_endUs}] µs; the logged future is too short.");
            }
            double t = timeUs;
            var index = 0;
            while (index < _times.Length && _times[index] < t)
            {
                index++;
            }
            index = Math.Clamp(index, 1, _times.Length - 1);
            var lo = index - 1;
            var span = _times[index] - _times[lo];
            var offset = t - _times[lo];
            var x = (_x[index] - _x[lo]) / span * offset + _x[lo];
            var y = (_y[index] - _y[lo]) / span * offset + _y[lo];
            var h = (_heading[index] - _heading[lo]) / span * offset + _heading[lo];
            return new EgoState(timeUs, new Pose(x, y, Angles.PrincipalValue(h)), Vector2.Zero, Vector2.Zero);
        }
    }
}
