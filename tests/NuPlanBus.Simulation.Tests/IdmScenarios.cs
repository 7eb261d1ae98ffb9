using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Tests;

/// <summary>An object of a synthetic log that moves straight along <see cref="Start"/>'s heading at <see cref="Speed"/>.</summary>
internal sealed record ObjectSpec(string Track, TrackedObjectType Type, Pose Start, double Speed, double Length = 4.5, double Width = 2.0);

/// <summary>Synthetic logs for the IDM components: a straight constant-speed ego expert (rear axle) and straight
/// constant-speed objects, on the raw-row layout of <see cref="TestScenarios"/>.</summary>
internal static class IdmScenarios
{
    public static RecordedScenario Build(int iterations, Pose egoStart, double egoSpeed, params ObjectSpec[] objects) =>
        Build(iterations, egoStart, egoSpeed, [], null, objects);

    /// <summary>The same with a route (<c>scene.roadblock_ids</c>) and the traffic lights of each raw row.</summary>
    public static RecordedScenario Build(
        int iterations, Pose egoStart, double egoSpeed, IReadOnlyList<string> route, Func<long, TrafficLightStatus[]>? lightsAt, params ObjectSpec[] objects)
    {
        var rows = TestScenarios.HistoryRows + 2 * (iterations - 1) + 1 + TestScenarios.FutureRows;
        var times = new long[rows];
        var egos = new EgoState[rows];
        var frames = new TrackedObject[]?[rows];
        var lights = new TrafficLightStatus[]?[rows];
        for (var row = 0; row < rows; row++)
        {
            var t = TestScenarios.StartUs + row * TestScenarios.RowUs;
            var tS = (row - TestScenarios.HistoryRows) * TestScenarios.RowUs * 1e-6;
            times[row] = t;
            egos[row] = new EgoState(t, egoStart.Translate(egoSpeed * tS), new Vector2(egoSpeed, 0), Vector2.Zero);
            var frame = new TrackedObject[objects.Length];
            for (var k = 0; k < objects.Length; k++)
            {
                var o = objects[k];
                var (s, c) = Math.SinCos(o.Start.Heading);
                var velocity = o.Type is TrackedObjectType.Vehicle or TrackedObjectType.Pedestrian or TrackedObjectType.Bicycle
                    ? new Vector2(o.Speed * c, o.Speed * s)
                    : Vector2.Zero;
                frame[k] = new TrackedObject(
                    o.Type, new OrientedBox(o.Start.Translate(o.Speed * tS), o.Length, o.Width, 1.6), velocity, $"tok-{row:x4}-{k}", o.Track, t);
            }
            frames[row] = frame;
            lights[row] = lightsAt?.Invoke(t);
        }
        var iterationFrames = new int[iterations];
        for (var i = 0; i < iterations; i++)
        {
            iterationFrames[i] = TestScenarios.HistoryRows + 2 * i;
        }
        return new RecordedScenario(
            new ScenarioMetadata("00000000000000aa", "2021.06.09.17.23.18_veh-38_00773_01140", "following_lane_with_lead", "us-nv-las-vegas-strip", 0.1),
            times,
            egos,
            frames,
            lights,
            iterationFrames,
            null,
            route);
    }
}
