using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

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
