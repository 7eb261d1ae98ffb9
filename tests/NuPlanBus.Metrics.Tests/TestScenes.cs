using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;

namespace NuPlanBus.Metrics.Tests;

/// <summary>Small in-memory simulations: the history replays the expert minus its last state, as nuPlan's does.</summary>
internal static class TestScenes
{
    public static (SimulationHistory History, RecordedScenario Scenario) FromExpert(EgoState[] expert, string token = "0123456789abcdef", string type = "stationary")
    {
        var n = expert.Length;
        var times = expert.Select(s => s.TimeUs).ToArray();
        var objects = new TrackedObject[]?[n];
        var lights = new TrafficLightStatus[]?[n];
        for (var i = 0; i < n; i++)
        {
            objects[i] = [];
            lights[i] = [];
        }
        var scenario = new RecordedScenario(
            new ScenarioMetadata(token, "2021.01.01.00.00.00_test", type, "us-nv-las-vegas-strip", 0.1),
            times, expert, objects, lights, Enumerable.Range(0, n).ToArray(), null, []);
        var history = new SimulationHistory(scenario.MapName, null, n - 1);
        for (var i = 0; i < n - 1; i++)
        {
            history.Add(new SimulationHistorySample(
                new SimulationIteration(expert[i].TimeUs, i),
                expert[i],
                new InterpolatedTrajectory([expert[i], expert[i + 1]]),
                [],
                []));
        }
        return (history, scenario);
    }

    public static (SimulationHistory History, RecordedScenario Scenario) Stationary(int iterations, string token = "0123456789abcdef", string type = "stationary")
    {
        var expert = new EgoState[iterations];
        for (var i = 0; i < iterations; i++)
        {
            expert[i] = new EgoState(1_000_000L + i * 100_000L, new Pose(100, 200, 0.3), Vector2.Zero, Vector2.Zero);
        }
        return FromExpert(expert, token, type);
    }
}

/// <summary>Hand-built scenes for the collision, TTC and open-loop metrics.</summary>
internal static class MetricTestScenes
{
    /// <summary>A box-shaped test vehicle with binary-exact sizes: rear axle 1 m from the rear, footprint x ∈ [−1, 4], y ∈ [−1, 1].</summary>
    public static readonly VehicleParameters BoxCar = new(Width: 2.0, FrontLength: 4.0, RearLength: 1.0, WheelBase: 3.0, CogPositionFromRearAxle: 1.5, Height: 1.5, Name: "box_car");

    public static EgoState Ego(long timeUs, double x, double y, double heading, double speed) =>
        new(timeUs, new Pose(x, y, heading), new Vector2(speed, 0), Vector2.Zero);

    public static TrackedObject Object(string track, TrackedObjectType type, double x, double y, double heading, double length, double width, double speed = 0) =>
        new(type, new OrientedBox(new Pose(x, y, heading), length, width),
            type.IsAgent() ? new Vector2(speed * Math.Cos(heading), speed * Math.Sin(heading)) : Vector2.Zero, track, track, 0);

    /// <summary>A closed-loop-like history: one sample per ego state with its objects; the expert is the history plus one state.</summary>
    public static MetricInput Closed(EgoState[] egos, TrackedObject[][] objects, VehicleParameters? vehicle = null, Maps.NuPlanMap? map = null, EgoState[]? expertStates = null)
    {
        var n = egos.Length;
        var step = n >= 2 ? egos[1].TimeUs - egos[0].TimeUs : 100_000L;
        var expert = expertStates ?? egos.Append(egos[^1] with { TimeUs = egos[^1].TimeUs + step }).ToArray();
        var frameObjects = new TrackedObject[]?[n + 1];
        var lights = new TrafficLightStatus[]?[n + 1];
        for (var i = 0; i <= n; i++)
        {
            frameObjects[i] = i < n ? objects[i] : [];
            lights[i] = [];
        }
        var scenario = new RecordedScenario(
            new ScenarioMetadata("0123456789abcdef", "2021.01.01.00.00.00_test", "collision_test", "us-nv-las-vegas-strip", step / 1e6),
            expert.Select(s => s.TimeUs).ToArray(), expert, frameObjects, lights, Enumerable.Range(0, n + 1).ToArray(), null, [],
            vehicle ?? BoxCar);
        var history = new SimulationHistory(scenario.MapName, null, n);
        for (var i = 0; i < n; i++)
        {
            history.Add(new SimulationHistorySample(
                new SimulationIteration(egos[i].TimeUs, i), egos[i], new InterpolatedTrajectory([egos[i], expert[i + 1]]), objects[i], []));
        }
        return new MetricInput(history, scenario, "SimplePlanner", map);
    }

    /// <summary>
    /// An open-loop scene at the production rates: raw log rows every 0.05 s for <paramref name="logSeconds"/>,
    /// iterations every 0.1 s, the expert driving straight along <paramref name="heading"/> at 5 m/s. Each history
    /// sample's plan follows the expert's positions for <paramref name="planSeconds"/> (states every 0.5 s), shifted
    /// <paramref name="lateralOffset"/> m to the left and with heading + <paramref name="headingOffset"/>.
    /// </summary>
    public static MetricInput OpenLoop(
        int historySamples, double logSeconds, double heading, double planSeconds = 8.0, double headingOffset = 0, double lateralOffset = 0)
    {
        const double speed = 5.0;
        var rows = (int)Math.Round(logSeconds / 0.05) + 1;
        var times = new long[rows];
        var states = new EgoState[rows];
        var objects = new TrackedObject[]?[rows];
        var lights = new TrafficLightStatus[]?[rows];
        for (var r = 0; r < rows; r++)
        {
            times[r] = 1_000_000L + r * 50_000L;
            states[r] = At(times[r], 0, 0);
            objects[r] = [];
            lights[r] = [];
        }
        var iterations = Enumerable.Range(0, historySamples + 1).Select(i => 2 * i).ToArray();
        var scenario = new RecordedScenario(
            new ScenarioMetadata("fedcba9876543210", "2021.01.01.00.00.00_test", "open_loop_test", "us-nv-las-vegas-strip", 0.1),
            times, states, objects, lights, iterations, null, []);
        var history = new SimulationHistory(scenario.MapName, null, historySamples);
        for (var i = 0; i < historySamples; i++)
        {
            var start = times[iterations[i]];
            var planStates = new List<EgoState>();
            for (var t = 0L; t <= (long)(planSeconds * 1e6); t += 500_000L)
            {
                planStates.Add(At(start + t, headingOffset, lateralOffset));
            }
            if (planStates[^1].TimeUs != start + (long)(planSeconds * 1e6))
            {
                planStates.Add(At(start + (long)(planSeconds * 1e6), headingOffset, lateralOffset));
            }
            history.Add(new SimulationHistorySample(
                new SimulationIteration(start, i), states[iterations[i]], new InterpolatedTrajectory(planStates.ToArray()), [], []));
        }
        return new MetricInput(history, scenario, "LogFuturePlanner");

        EgoState At(long timeUs, double headingShift, double lateral)
        {
            var s = (timeUs - 1_000_000L) / 1e6 * speed;
            var pose = new Pose(s * Math.Cos(heading), s * Math.Sin(heading), heading).Translate(0, lateral);
            return new EgoState(timeUs, pose with { Heading = Angles.PrincipalValue(heading + headingShift) }, new Vector2(speed, 0), Vector2.Zero);
        }
    }
}
