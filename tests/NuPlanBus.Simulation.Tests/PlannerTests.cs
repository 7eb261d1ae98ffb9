using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Planners;

namespace NuPlanBus.Simulation.Tests;

public class PlannerTests
{
    private static PlannerInput InputFor(EgoState ego)
    {
        var buffer = new HistoryBuffer(22, 0.1);
        buffer.Append(ego, []);
        return new PlannerInput(new SimulationIteration(ego.TimeUs, 0), buffer, []);
    }

    [Fact]
    public void Simple_planner_plans_41_states_every_quarter_second_straight_ahead()
    {
        var ego = new EgoState(2_000_000, new Pose(10, 20, 0.7), new Vector2(3, 0), new Vector2(1, 0), 0.05, 0.1);
        var planner = new SimplePlanner(VehicleParameters.Pacifica);
        Assert.Equal("SimplePlanner", planner.Name);

        var states = planner.ComputeTrajectory(InputFor(ego)).SampledStates;

        Assert.Equal(41, states.Count);
        Assert.Equal(new EgoState(2_000_000, new Pose(10, 20, 0.7), new Vector2(3, 0), Vector2.Zero), states[0]);
        var (s, c) = Math.SinCos(0.7);
        for (var i = 0; i < states.Count; i++)
        {
            Assert.Equal(2_000_000 + i * 250_000L, states[i].TimeUs);
            Assert.Equal(10 + c * 3 * 0.25 * i, states[i].RearAxle.X, 9);
            Assert.Equal(20 + s * 3 * 0.25 * i, states[i].RearAxle.Y, 9);
            Assert.Equal(0.7, states[i].RearAxle.Heading, 12);
            Assert.Equal(3.0, states[i].RearAxleVelocity.X, 12);
        }
    }

    [Fact]
    public void Simple_planner_brakes_proportionally_above_the_maximum_velocity()
    {
        var ego = new EgoState(0, new Pose(0, 0, 0), new Vector2(10, 0), Vector2.Zero);
        var states = new SimplePlanner(VehicleParameters.Pacifica).ComputeTrajectory(InputFor(ego)).SampledStates;

        var v = 10.0;
        for (var i = 1; i < states.Count; i++)
        {
            var accel = 5.0 - v;
            v += accel * 0.25;
            Assert.Equal(v, states[i].RearAxleVelocity.X, 12);
            Assert.Equal(accel, states[i].RearAxleAcceleration.X, 12);
        }
    }

    [Fact]
    public void Simple_planner_keeps_a_brake_once_set_even_below_the_maximum_velocity()
    {
        // |(4.9, 1.5)| > 5 triggers the brake; propagation keeps vx only, so the speed drops below 5 at once,
        // yet the braking acceleration persists for the whole horizon (the devkit quirk).
        var ego = new EgoState(0, new Pose(0, 0, 0), new Vector2(4.9, 1.5), Vector2.Zero);
        var states = new SimplePlanner(VehicleParameters.Pacifica).ComputeTrajectory(InputFor(ego)).SampledStates;

        var brake = 5.0 - Math.Sqrt(4.9 * 4.9 + 1.5 * 1.5);
        Assert.True(brake < 0);
        for (var i = 1; i < states.Count; i++)
        {
            Assert.True(states[i].Speed < 5.0);
            Assert.Equal(brake, states[i].RearAxleAcceleration.X, 12);
            Assert.Equal(4.9 + i * brake * 0.25, states[i].RearAxleVelocity.X, 9);
        }
        Assert.Equal(4.9 + 40 * brake * 0.25, states[^1].RearAxleVelocity.X, 9);
    }

    [Fact]
    public void Log_future_planner_returns_the_current_state_and_sixteen_logged_future_states()
    {
        var scenario = TestScenarios.Straight(iterations: 10);
        var planner = new LogFuturePlanner(scenario);
        Assert.Equal("LogFuturePlanner", planner.Name);
        var buffer = new HistoryBuffer(22, 0.1);
        buffer.Append(scenario.GetEgoState(3), scenario.GetTrackedObjects(3));

        var states = planner.ComputeTrajectory(new PlannerInput(new SimulationIteration(scenario.GetTimeUs(3), 3), buffer, [])).SampledStates;

        Assert.Equal(17, states.Count);
        Assert.Equal(scenario.GetEgoState(3), states[0]);
        for (var i = 1; i < states.Count; i++)
        {
            Assert.Equal(scenario.FrameEgoStates[scenario.IterationFrames[3] + 10 * i], states[i]);
        }
    }
}
