using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Tests;

/// <summary>Synthetic logs: a straight constant-speed expert on raw 20 Hz rows, 44 rows of history,
/// one iteration every 2 rows and 160 rows of future after the last iteration.</summary>
internal static class TestScenarios
{
    public const int HistoryRows = 44;
    public const int FutureRows = 160;
    public const long RowUs = 50_000;
    public const long StartUs = 1_600_000_000_000_000;

    public static RecordedScenario Straight(
        int iterations = 20,
        double speed = 10.0,
        double heading = 0.3,
        int agents = 3,
        bool trafficLights = true,
        string token = "0123456789abcdef")
    {
        var rows = HistoryRows + 2 * (iterations - 1) + 1 + FutureRows;
        var times = new long[rows];
        var egos = new EgoState[rows];
        var objects = new TrackedObject[]?[rows];
        var lights = new TrafficLightStatus[]?[rows];
        var (s, c) = Math.SinCos(heading);
        for (var row = 0; row < rows; row++)
        {
            var t = StartUs + row * RowUs;
            var tS = row * RowUs * 1e-6;
            times[row] = t;
            egos[row] = new EgoState(t, new Pose(100 + c * speed * tS, -50 + s * speed * tS, heading), new Vector2(speed, 0), Vector2.Zero);
            var frameObjects = new TrackedObject[agents];
            for (var k = 0; k < agents; k++)
            {
                var type = k % 4 == 3 ? TrackedObjectType.TrafficCone : TrackedObjectType.Vehicle;
                var v = type == TrackedObjectType.Vehicle ? new Vector2(5 + k, 0.5) : Vector2.Zero;
                var center = new Pose(120 + 10 * k + v.X * tS, -45 + 3 * k + v.Y * tS, 0.1 * k);
                frameObjects[k] = new TrackedObject(type, new OrientedBox(center, 4.5, 2.0, 1.6), v, $"tok-{row:x4}-{k}", $"track-{k}", t);
            }
            objects[row] = frameObjects;
            lights[row] = trafficLights && row % 2 == 0
                ? [new TrafficLightStatus(1000 + row % 3, (TrafficLightState)(row % 4), t)]
                : null;
        }
        var iterationFrames = new int[iterations];
        for (var i = 0; i < iterations; i++)
        {
            iterationFrames[i] = HistoryRows + 2 * i;
        }
        return new RecordedScenario(
            new ScenarioMetadata(token, "2021.06.09.17.23.18_veh-38_00773_01140", "starting_straight_traffic_light_intersection_traversal", "us-nv-las-vegas-strip", 0.1),
            times,
            egos,
            objects,
            lights,
            iterationFrames,
            new Pose(500, 20, 0.3),
            ["rb-1", "rb-2", "rb-3"]);
    }
}

/// <summary>A clock that advances one second every time it is read.</summary>
internal sealed class SteppingClock(double startUnixSeconds) : TimeProvider
{
    private long _reads;

    public override DateTimeOffset GetUtcNow() =>
        DateTimeOffset.UnixEpoch.AddSeconds(startUnixSeconds + Interlocked.Increment(ref _reads) - 1);
}
