using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Bench;

/// <summary>
/// Synthetic logs shaped like nuPlan scenarios: raw 20 Hz rows with 2.2 s of history and 8 s of future around
/// 151 iterations at 10 Hz; the ego and 50 objects on a gently curving four-lane road (one lane oncoming):
/// vehicles at assorted speeds, a few pedestrians crossing, bicycles and cones.
/// </summary>
public static class SyntheticScenarios
{
    public const int Iterations = 151;
    public const int HistoryRows = 44;
    public const int FutureRows = 160;
    public const int Objects = 50;
    public const long RowUs = 50_000;
    public const double LaneWidth = 3.7;
    public const double CurveRadius = 400.0;

    public static RecordedScenario Create(int seed, int iterations = Iterations, int objects = Objects)
    {
        var random = new Random(seed);
        var rows = HistoryRows + 2 * (iterations - 1) + 1 + FutureRows;
        var startUs = 1_600_000_000_000_000L + seed * 100_000_000L;
        var egoSpeed = 6 + 4 * random.NextDouble();
        var specs = new ObjectSpec[objects];
        for (var k = 0; k < objects; k++)
        {
            specs[k] = RandomObject(random, k);
        }
        var times = new long[rows];
        var egos = new EgoState[rows];
        var frames = new TrackedObject[]?[rows];
        var lights = new TrafficLightStatus[]?[rows];
        for (var row = 0; row < rows; row++)
        {
            var t = startUs + row * RowUs;
            var tS = (row - HistoryRows) * RowUs * 1e-6;
            times[row] = t;
            egos[row] = new EgoState(t, RoadPose(egoSpeed * tS, 0), new Vector2(egoSpeed, 0), Vector2.Zero);
            var frame = new TrackedObject[objects];
            for (var k = 0; k < objects; k++)
            {
                var o = specs[k];
                var s = o.Start + o.Speed * tS;
                var pose = o.Type == TrackedObjectType.Pedestrian ? Crossing(o, tS) : RoadPose(s, o.Lateral, o.Speed < 0);
                var (sin, cos) = Math.SinCos(pose.Heading);
                var velocity = o.Type.IsAgent() ? new Vector2(Math.Abs(o.Speed) * cos, Math.Abs(o.Speed) * sin) : Vector2.Zero;
                frame[k] = new TrackedObject(o.Type, new OrientedBox(pose, o.Length, o.Width, 1.6), velocity, $"{seed:x4}{row:x4}{k:x4}", $"track-{seed}-{k}", t);
            }
            frames[row] = frame;
            lights[row] = row % 2 == 0 ? [new TrafficLightStatus(1000 + row % 3, (TrafficLightState)(row / 40 % 3), t)] : null;
        }
        var iterationFrames = new int[iterations];
        for (var i = 0; i < iterations; i++)
        {
            iterationFrames[i] = HistoryRows + 2 * i;
        }
        return new RecordedScenario(
            new ScenarioMetadata($"{seed:x16}", "2021.06.09.17.23.18_veh-38_00773_01140", "following_lane_with_lead", "us-nv-las-vegas-strip", 0.1),
            times,
            egos,
            frames,
            lights,
            iterationFrames,
            RoadPose(egoSpeed * 20, 0),
            ["rb-1", "rb-2", "rb-3"]);
    }

    /// <summary>A pose on the road's arc: <paramref name="s"/> metres along the ego lane, <paramref name="lateral"/> to the left.</summary>
    public static Pose RoadPose(double s, double lateral, bool reversed = false)
    {
        var theta = s / CurveRadius;
        var (sin, cos) = Math.SinCos(theta);
        var radius = CurveRadius - lateral;
        return new Pose(radius * sin, CurveRadius - radius * cos, reversed ? Angles.PrincipalValue(theta + Math.PI) : theta);
    }

    private static Pose Crossing(ObjectSpec o, double tS)
    {
        var kerb = RoadPose(o.Start, o.Lateral);
        var heading = Angles.PrincipalValue(kerb.Heading + Math.PI / 2);
        return new Pose(kerb.X, kerb.Y, heading).Translate(Math.Abs(o.Speed) * tS);
    }

    private static ObjectSpec RandomObject(Random random, int index)
    {
        var roll = index % 25;
        if (roll == 7 || roll == 19)
        {
            return new ObjectSpec(TrackedObjectType.Pedestrian, -10 + 200 * random.NextDouble(), -2 * LaneWidth, 1 + 0.5 * random.NextDouble(), 0.7, 0.7);
        }
        if (roll == 11)
        {
            return new ObjectSpec(TrackedObjectType.Bicycle, -20 + 150 * random.NextDouble(), -0.5 * LaneWidth - 0.8, 4 + 2 * random.NextDouble(), 1.8, 0.7);
        }
        if (roll == 23)
        {
            return new ObjectSpec(TrackedObjectType.TrafficCone, 30 + 150 * random.NextDouble(), -0.5 * LaneWidth - 0.3, 0, 0.4, 0.4);
        }
        var lane = random.Next(4);
        var speed = lane == 3 ? -(6 + 6 * random.NextDouble()) : 3 + 9 * random.NextDouble();
        // Spread along the road and keep the ego's own spot free.
        var start = -80 + 330 * random.NextDouble();
        if (lane == 0 && Math.Abs(start) < 12)
        {
            start += 25;
        }
        var parked = random.NextDouble() < 0.1;
        return new ObjectSpec(TrackedObjectType.Vehicle, start, LaneOffsets[lane], parked ? 0 : speed, 4.4 + random.NextDouble(), 1.9 + 0.2 * random.NextDouble());
    }

    /// <summary>Ego lane, left lane, right lane, oncoming lane.</summary>
    private static readonly double[] LaneOffsets = [0, LaneWidth, -LaneWidth, 2 * LaneWidth];

    private sealed record ObjectSpec(TrackedObjectType Type, double Start, double Lateral, double Speed, double Length, double Width);
}
