using System.Globalization;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Collisions;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Numerics;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// time_to_collision_within_bound (high level, scored, "Planning", unit bool; docs/nuplan-simulation.md §4.3.7). Per history sample:
/// 0 at an at-fault collision; +∞ without candidate objects or when the ego speed is ≤ 0.005 m/s; otherwise the
/// ego and the candidates move at constant velocity along their headings in steps of <see cref="TimeStepSize"/>,
/// t = step, 2·step, … strictly before <see cref="TimeHorizon"/> (numpy <c>arange</c>), and the first t at which
/// the ego box collides with a relevant object (one whose horizon-elongated box meets the ego's) is the TTC.
/// Statistics: MIN min_time_to_collision (s, may be +∞), BOOLEAN = every TTC &gt; <see cref="LeastMinTtc"/>.
/// Lane membership per timestamp and the INTERSECTION layer come from the map; without one <see cref="Lanes"/> stands in.
/// </summary>
public sealed class TimeToCollisionWithinBoundMetric : IMetric
{
    /// <summary>Ego speed at or below which the TTC stays +∞ (m/s).</summary>
    public const double StoppedSpeedThreshold = 5e-3;

    private static readonly double AheadTolerance = Angles.DegreesToRadians(30.0);
    private static readonly double BehindTolerance = Angles.DegreesToRadians(150.0);

    public TimeToCollisionWithinBoundMetric(
        double timeStepSize = 0.1,
        double timeHorizon = 3.0,
        double leastMinTtc = 0.95,
        EgoLaneAssumption lanes = EgoLaneAssumption.InsideLane)
    {
        if (!(timeStepSize > 0) || !(timeHorizon > 0))
        {
            throw new ArgumentException($"TTC needs a positive step and horizon (got {timeStepSize} s, {timeHorizon} s).");
        }
        TimeStepSize = timeStepSize;
        TimeHorizon = timeHorizon;
        LeastMinTtc = leastMinTtc;
        Lanes = lanes;
        ProjectionTimes = Arange(timeStepSize, timeHorizon, timeStepSize);
        SeriesUnit = $"time_to_collision_under_{PythonFloat(timeHorizon)}_seconds [s]";
    }

    public string Name => MetricNames.TimeToCollisionWithinBound;

    public string Category => MetricCategories.Planning;

    /// <summary>Ordering as in the devkit's configuration; the collision scan itself is shared, not read from it.</summary>
    public IReadOnlyList<string> Dependencies => [MetricNames.NoEgoAtFaultCollisions];

    public double TimeStepSize { get; }

    public double TimeHorizon { get; }

    public double LeastMinTtc { get; }

    public EgoLaneAssumption Lanes { get; }

    /// <summary>The projection times, numpy's <c>arange(step, horizon, step)</c> (29 values up to 2.9 s for 3.0 s).</summary>
    public IReadOnlyList<double> ProjectionTimes { get; }

    /// <summary><c>time_to_collision_under_&lt;horizon&gt;_seconds [s]</c>, the horizon printed as Python prints a float.</summary>
    public string SeriesUnit { get; }

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var samples = input.History.Samples;
        if (samples.Count == 0)
        {
            throw new InvalidOperationException("The simulation history has no samples.");
        }
        var collisions = EgoCollisions.Of(input);
        var membership = EgoLaneMembership.Of(input, Lanes);
        var values = new double[samples.Count];
        var scratch = new Scratch(MaxObservationCount(input));
        var collided = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var timeUs = input.TimestampsUs[i];
            var atFault = false;
            // Tracks that collided at this or an earlier timestamp leave the analysis.
            for (var c = 0; c < collisions.Count; c++)
            {
                if (collisions[c].TimeUs == timeUs)
                {
                    collided.Add(collisions[c].TrackToken);
                    atFault |= collisions[c].IsAtFault(membership.InsideOneLane(collisions[c].SampleIndex));
                }
            }
            values[i] = atFault ? 0.0 : TimeToCollision(input, i, collided, scratch, membership);
        }

        var min = double.PositiveInfinity;
        var withinBound = true;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            withinBound &= LeastMinTtc < value;
        }
        var statistics = new List<Statistic>
        {
            new("min_time_to_collision", "seconds", StatisticType.MIN, min),
            Statistic.Boolean(Name, withinBound),
        };
        var series = new TimeSeries(SeriesUnit, input.TimestampsUs, values);
        return [new MetricStatistics(Name, Name, Category, statistics, series, withinBound ? 1.0 : 0.0, MetricUnits.Bool)];
    }

    private double TimeToCollision(MetricInput input, int sampleIndex, HashSet<string> collided, Scratch scratch, EgoLaneMembership membership)
    {
        var sample = input.History.Samples[sampleIndex];
        var ego = sample.EgoState;
        var observation = sample.Observation;
        // Evaluated once per state; the devkit asks the intersection layer once per non-ahead object, with the same answer.
        var sideObjectsCount = !membership.InsideOneLane(sampleIndex) || membership.RearAxleInIntersection(sampleIndex);

        var count = 0;
        for (var k = 0; k < observation.Count; k++)
        {
            var tracked = observation[k];
            if (collided.Contains(tracked.TrackToken))
            {
                continue;
            }
            var angle = ego.RearAxle.RelativeAngleTo(tracked.Box.Center.Position);
            var ahead = angle < AheadTolerance;
            var behind = angle > BehindTolerance;
            if (ahead || (sideObjectsCount && !behind))
            {
                scratch.Candidates[count++] = k;
            }
        }
        var speed = ego.Speed;
        if (count == 0 || speed <= StoppedSpeedThreshold)
        {
            return double.PositiveInfinity;
        }

        var vehicle = input.Vehicle;
        var egoBox = ego.Footprint(vehicle);
        var egoX = egoBox.Center.X;
        var egoY = egoBox.Center.Y;
        var egoHeading = egoBox.Center.Heading;
        var egoDx = Math.Cos(egoHeading) * speed * TimeStepSize;
        var egoDy = Math.Sin(egoHeading) * speed * TimeStepSize;
        var steps = TimeHorizon / TimeStepSize;

        // Relevance pre-filter: boxes stretched over the whole horizon must meet.
        var egoElongated = new OrientedBox(
            new Pose(steps / 2 * egoDx + egoX, steps / 2 * egoDy + egoY, egoHeading),
            ElongatedLength(egoBox.Length, egoDx, egoDy),
            egoBox.Width,
            egoBox.Height);
        var relevant = 0;
        for (var c = 0; c < count; c++)
        {
            var tracked = observation[scratch.Candidates[c]];
            var box = tracked.Box;
            var trackSpeed = tracked.Speed;
            var dx = Math.Cos(box.Center.Heading) * trackSpeed * TimeStepSize;
            var dy = Math.Sin(box.Center.Heading) * trackSpeed * TimeStepSize;
            var elongated = new OrientedBox(
                new Pose(steps / 2 * dx + box.Center.X, steps / 2 * dy + box.Center.Y, box.Center.Heading),
                ElongatedLength(box.Length, dx, dy),
                box.Width,
                box.Height);
            if (BoxShape.InCollision(egoElongated, elongated))
            {
                scratch.Boxes[relevant] = box;
                scratch.X[relevant] = box.Center.X;
                scratch.Y[relevant] = box.Center.Y;
                scratch.Dx[relevant] = dx;
                scratch.Dy[relevant] = dy;
                relevant++;
            }
        }
        if (relevant == 0)
        {
            return double.PositiveInfinity;
        }

        // Positions accumulate step by step exactly as the devkit's in-place additions do.
        foreach (var t in ProjectionTimes)
        {
            egoX += egoDx;
            egoY += egoDy;
            var projectedEgo = egoBox with { Center = new Pose(egoX, egoY, egoHeading) };
            for (var r = 0; r < relevant; r++)
            {
                scratch.X[r] += scratch.Dx[r];
                scratch.Y[r] += scratch.Dy[r];
            }
            for (var r = 0; r < relevant; r++)
            {
                var box = scratch.Boxes[r];
                var projected = box with { Center = new Pose(scratch.X[r], scratch.Y[r], box.Center.Heading) };
                if (BoxShape.InCollision(projectedEgo, projected))
                {
                    return t;
                }
            }
        }
        return double.PositiveInfinity;
    }

    /// <summary><c>_get_elongated_box_length</c>: length + |(dx, dy)·horizon/step|.</summary>
    private double ElongatedLength(double length, double dx, double dy) =>
        length + double.Hypot(dx * TimeHorizon / TimeStepSize, dy * TimeHorizon / TimeStepSize);

    private static int MaxObservationCount(MetricInput input)
    {
        var max = 0;
        foreach (var sample in input.History.Samples)
        {
            max = Math.Max(max, sample.Observation.Count);
        }
        return max;
    }

    /// <summary>
    /// numpy's float <c>arange(start, stop, step)</c>: ceil((stop − start)/step) values start + i·δ with
    /// δ = (start + step) − start, so the horizon itself is never reached.
    /// </summary>
    public static double[] Arange(double start, double stop, double step)
    {
        var length = (int)Math.Max(0, Math.Ceiling((stop - start) / step));
        var values = new double[length];
        var delta = (start + step) - start;
        for (var i = 0; i < length; i++)
        {
            values[i] = start + i * delta;
        }
        return values;
    }

    /// <summary>Python's <c>str(float)</c> for ordinary magnitudes: shortest round-trip digits, ".0" when whole.</summary>
    public static string PythonFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal)
            || double.IsNaN(value) || double.IsInfinity(value)
            ? text
            : text + ".0";
    }

    /// <summary>Per-scenario buffers sized for the busiest frame, reused across samples.</summary>
    private sealed class Scratch(int capacity)
    {
        public readonly int[] Candidates = new int[capacity];
        public readonly OrientedBox[] Boxes = new OrientedBox[capacity];
        public readonly double[] X = new double[capacity];
        public readonly double[] Y = new double[capacity];
        public readonly double[] Dx = new double[capacity];
        public readonly double[] Dy = new double[capacity];
    }
}
