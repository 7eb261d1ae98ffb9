using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Logs;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Simulation.Tests;

public class SimulationLogTests
{
    private static SimulationLog RunAndLog()
    {
        var s = TestScenarios.Straight(iterations: 30, agents: 5);
        var objects = (TrackedObject[]?[])s.FrameObjects.Clone();
        objects[1] = null;
        var scenario = new RecordedScenario(
            s.Metadata, s.FrameTimesUs, s.FrameEgoStates, objects, s.FrameTrafficLights, s.IterationFrames, s.MissionGoal, s.RouteRoadblockIds,
            s.Vehicle with { Name = "pacifica-test" });
        var runner = SimulationBuilder.Build(scenario, "simple_planner", "two_stage_controller", "box_observation");
        runner.Run();
        return SimulationLog.Create("SimplePlanner", scenario, runner.Simulation.History);
    }

    [Fact]
    public void A_log_round_trips_scenario_and_history()
    {
        var log = RunAndLog();

        var bytes = SimulationLogSerializer.Serialize(log);
        var back = SimulationLogSerializer.Deserialize(bytes, "mem://log" + SimulationLog.FileExtension);

        Assert.Equal(SimulationLogSerializer.CurrentFormatVersion, back.FormatVersion);
        Assert.Equal(log.PlannerName, back.PlannerName);
        var a = log.Scenario;
        var b = back.Scenario;
        Assert.Equal(a.Metadata, b.Metadata);
        Assert.Equal(a.Vehicle, b.Vehicle);
        Assert.Equal(a.FrameTimesUs, b.FrameTimesUs);
        Assert.Equal(a.FrameEgoStates, b.FrameEgoStates);
        Assert.Equal(a.FrameObjects.Length, b.FrameObjects.Length);
        for (var i = 0; i < a.FrameObjects.Length; i++)
        {
            Assert.Equal(a.FrameObjects[i], b.FrameObjects[i]);
            Assert.Equal(a.FrameTrafficLights[i], b.FrameTrafficLights[i]);
        }
        Assert.Null(b.FrameObjects[1]);
        Assert.Null(b.FrameTrafficLights[1]);
        Assert.Equal(a.IterationFrames, b.IterationFrames);
        Assert.Equal(a.MissionGoal, b.MissionGoal);
        Assert.Equal(a.RouteRoadblockIds, b.RouteRoadblockIds);

        var h = log.History;
        var g = back.History;
        Assert.Equal(h.MapName, g.MapName);
        Assert.Equal(h.MissionGoal, g.MissionGoal);
        Assert.Equal(29, g.Count);
        for (var i = 0; i < h.Count; i++)
        {
            var x = h.Samples[i];
            var y = g.Samples[i];
            Assert.Equal(x.Iteration, y.Iteration);
            Assert.Equal(x.EgoState, y.EgoState);
            Assert.Equal(x.Trajectory.SampledStates, y.Trajectory.SampledStates);
            Assert.Equal(x.Observation, y.Observation);
            Assert.Equal(x.TrafficLights, y.TrafficLights);
        }
        Assert.NotEqual(0.0, g.Samples[5].EgoState.RearAxleAcceleration.X);
    }

    [Fact]
    public void A_truncated_log_fails_with_a_format_error()
    {
        var bytes = SimulationLogSerializer.Serialize(RunAndLog());
        foreach (var length in new[] { 0, 5, 12, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var ex = Assert.Throws<SimulationLogFormatException>(() =>
                SimulationLogSerializer.Deserialize(bytes.AsSpan(0, length), "runs/a.msgpack.zst"));
            Assert.Equal("runs/a.msgpack.zst", ex.Path);
            Assert.StartsWith("runs/a.msgpack.zst: ", ex.Message);
        }
    }

    [Fact]
    public void Wrong_magic_another_version_or_corrupt_bytes_fail_with_a_clear_reason()
    {
        var bytes = SimulationLogSerializer.Serialize(RunAndLog());

        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<SimulationLogFormatException>(() => SimulationLogSerializer.Deserialize(wrongMagic, "p")).Message);

        var otherVersion = (byte[])bytes.Clone();
        otherVersion[8] = 2;
        Assert.Contains("version 2", Assert.Throws<SimulationLogFormatException>(() => SimulationLogSerializer.Deserialize(otherVersion, "p")).Message);

        var corrupt = (byte[])bytes.Clone();
        corrupt[bytes.Length / 2] ^= 0x5A;
        Assert.Throws<SimulationLogFormatException>(() => SimulationLogSerializer.Deserialize(corrupt, "p"));

        var trailing = new byte[bytes.Length + 3];
        bytes.CopyTo(trailing, 0);
        Assert.Throws<SimulationLogFormatException>(() => SimulationLogSerializer.Deserialize(trailing, "p"));
    }
}

public class SimulationLogCallbackTests
{
    [Fact]
    public void The_log_callback_writes_one_readable_log_at_simulation_end()
    {
        var scenario = TestScenarios.Straight(iterations: 8);
        var written = new List<byte[]>();
        var runner = SimulationBuilder.Build(
            scenario, "log_future_planner", "log_play_back_controller", "box_observation",
            [new SimulationLogCallback(written.Add)]);

        Assert.True(RunnerExecutor.Run(runner).Succeeded);

        var data = Assert.Single(written);
        var log = SimulationLogSerializer.Deserialize(data, "memory");
        Assert.Equal("LogFuturePlanner", log.PlannerName);
        Assert.Equal(7, log.History.Count);
    }
}
