using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Idm;
using NuPlanBus.Simulation.Planners;
using NuPlanBus.Simulation.Routes;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Simulation.Tests;

public class IdmPlannerTests
{
    private static readonly VehicleParameters Vehicle = VehicleParameters.Pacifica;

    private static (IdmPlanner Planner, PlannerInput Input) PlannerAt(RecordedScenario scenario, int iteration = 0)
    {
        var planner = new IdmPlanner(scenario);
        planner.Initialize(new PlannerInitialization([], null, scenario.MapName));
        var buffer = new HistoryBuffer(22, 0.1);
        buffer.Append(scenario.GetEgoState(iteration), scenario.GetTrackedObjects(iteration));
        return (planner, new PlannerInput(new SimulationIteration(scenario.GetTimeUs(iteration), iteration), buffer, []));
    }

    /// <summary>Gap between the ego footprint and a box ahead on the x axis, both heading along x.</summary>
    private static double GapAhead(EgoState ego, OrientedBox lead) =>
        lead.Center.X - lead.Length / 2 - (ego.Center(Vehicle).X + Vehicle.Length / 2);

    [Fact]
    public void On_a_free_road_the_plan_accelerates_with_accel_max_towards_the_target_and_levels_off()
    {
        var scenario = IdmScenarios.Build(20, new Pose(0, 0, 0), 2.0);
        var (planner, input) = PlannerAt(scenario);

        var states = planner.ComputeTrajectory(input).SampledStates;

        Assert.Equal("IDMPlanner", planner.Name);
        Assert.Equal(RouteSources.ExpertPath, planner.RouteSource);
        Assert.Equal(10.0, planner.TargetVelocity);
        Assert.Equal(17, states.Count);
        var policy = new IdmPolicy(10, 1, 1.5, 1, 3);
        var pathLength = planner.Path!.Length;
        double progress = 0, v = 2;
        for (var k = 1; k < states.Count; k++)
        {
            var (delta, next) = policy.Step(v, new IdmLead(pathLength - progress, 0, Vehicle.Length / 2), 0.5);
            progress += delta;
            v = next;
            Assert.Equal(scenario.GetTimeUs(0) + k * 500_000L, states[k].TimeUs);
            Assert.Equal(v, states[k].RearAxleVelocity.X, 12);
            Assert.Equal(progress + Vehicle.RearAxleToCenter, states[k].Center(Vehicle).X, 9);
            Assert.Equal(Vector2.Zero, states[k].RearAxleAcceleration);
            Assert.Equal(0.0, states[k].TireSteeringAngle);
        }
        // The free road barely brakes: the first step is accel_max · (1 − (v/v0)⁴) to three decimals.
        Assert.Equal(1.0 * (1 - Math.Pow(0.2, 4)), (states[1].RearAxleVelocity.X - 2.0) / 0.5, 3);

        var runner = SimulationBuilder.Build(IdmScenarios.Build(251, new Pose(0, 0, 0), 6.0), "idm_planner", "perfect_tracking_controller", "box_observation");
        runner.Run();
        var speeds = runner.Simulation.History.Samples.Select(sample => sample.EgoState.Speed).ToArray();
        Assert.All(speeds, speed => Assert.True(speed <= 10.0 + 1e-9, $"speed {speed} above the target"));
        Assert.InRange(speeds[^1], 9.0, 10.0);
        Assert.True(speeds[^1] - speeds[^21] < speeds[40] - speeds[20], "the approach to the target flattens out");
    }

    [Fact]
    public void The_target_velocity_is_the_ego_speed_when_that_is_higher()
    {
        var (planner, input) = PlannerAt(IdmScenarios.Build(20, new Pose(0, 0, 0), 13.0));
        var states = planner.ComputeTrajectory(input).SampledStates;
        Assert.Equal(13.0, planner.TargetVelocity);
        Assert.True(states[^1].RearAxleVelocity.X > 12.5);
    }

    [Fact]
    public void The_ego_follows_a_stopped_lead_and_stops_behind_it_with_at_least_the_minimum_gap()
    {
        var lead = new ObjectSpec("stopped-car", TrackedObjectType.Vehicle, new Pose(90, 0, 0), 0.0);
        var scenario = IdmScenarios.Build(151, new Pose(0, 0, 0), 10.0, lead);
        var leadBox = scenario.GetTrackedObjects(0)[0].Box;

        var runner = SimulationBuilder.Build(scenario, "idm_planner", "perfect_tracking_controller", "box_observation");
        var report = runner.Run();

        Assert.True(report.Succeeded);
        var egos = runner.Simulation.History.EgoStates();
        var gaps = egos.Select(ego => GapAhead(ego, leadBox)).ToArray();
        Assert.True(gaps.Min() >= 1.0, $"smallest gap {gaps.Min()} m is below the 1 m minimum gap");
        Assert.True(egos[^1].Speed < 0.05, $"final speed {egos[^1].Speed}");
        Assert.InRange(gaps[^1], 1.0, 2.0);
    }

    [Fact]
    public void With_the_two_stage_controller_the_ego_still_stops_short_of_a_stopped_lead()
    {
        var lead = new ObjectSpec("stopped-car", TrackedObjectType.Vehicle, new Pose(90, 0, 0), 0.0);
        var scenario = IdmScenarios.Build(151, new Pose(0, 0, 0), 10.0, lead);
        var leadBox = scenario.GetTrackedObjects(0)[0].Box;

        var runner = SimulationBuilder.Build(scenario, "idm_planner", "two_stage_controller", "box_observation");
        runner.Run();

        var egos = runner.Simulation.History.EgoStates();
        Assert.All(egos, ego => Assert.True(GapAhead(ego, leadBox) > 0.5, $"gap {GapAhead(ego, leadBox)} m"));
        Assert.True(egos[^1].Speed < 0.3, $"final speed {egos[^1].Speed}");
    }

    [Theory]
    [InlineData(Math.PI, -4.0)]
    [InlineData(Math.PI / 3, 2.0)]
    [InlineData(-Math.PI / 3, 2.0)]
    [InlineData(0.0, 4.0)]
    public void A_leading_agent_counts_with_its_speed_projected_on_the_ego_heading(double leadHeading, double projected)
    {
        var lead = new ObjectSpec("lead", TrackedObjectType.Vehicle, new Pose(30, 0, leadHeading), 4.0);
        var scenario = IdmScenarios.Build(20, new Pose(0, 0, 0), 5.0, lead);
        var (planner, input) = PlannerAt(scenario);

        var states = planner.ComputeTrajectory(input).SampledStates;

        var ego = scenario.GetEgoState(0);
        var distance = BoxShape.Distance(new BoxShape(ego.Footprint(Vehicle)), new BoxShape(scenario.GetTrackedObjects(0)[0].Box));
        var (_, expected) = new IdmPolicy(10, 1, 1.5, 1, 3).Step(5.0, new IdmLead(distance, projected, 0), 0.5);
        Assert.Equal(expected, states[1].RearAxleVelocity.X, 12);
        if (leadHeading == 0.0)
        {
            Assert.Equal(30 - 2.25 - Vehicle.RearAxleToCenter - Vehicle.Length / 2, distance, 12);
        }
    }

    [Fact]
    public void Objects_beside_the_path_or_beyond_the_occupancy_radius_do_not_lead()
    {
        var beside = new ObjectSpec("beside", TrackedObjectType.Vehicle, new Pose(20, 3.7, 0), 0.0);
        var far = new ObjectSpec("far", TrackedObjectType.Barrier, new Pose(45, 0, 0), 0.0, 1.0, 1.0);
        var (planner, input) = PlannerAt(IdmScenarios.Build(20, new Pose(0, 0, 0), 5.0, beside, far));
        var free = PlannerAt(IdmScenarios.Build(20, new Pose(0, 0, 0), 5.0));

        var states = planner.ComputeTrajectory(input).SampledStates;
        var freeStates = free.Planner.ComputeTrajectory(free.Input).SampledStates;

        // The barrier is 45 m from the ego centre: outside the 40 m radius, so the first step sees a free road.
        Assert.Equal(freeStates[1], states[1]);
    }

    [Fact]
    public void A_static_object_on_the_path_leads_with_speed_zero()
    {
        var cone = new ObjectSpec("cone", TrackedObjectType.TrafficCone, new Pose(20, 0.5, 0), 0.0, 0.5, 0.5);
        var scenario = IdmScenarios.Build(20, new Pose(0, 0, 0), 5.0, cone);
        var (planner, input) = PlannerAt(scenario);

        var states = planner.ComputeTrajectory(input).SampledStates;

        var gap = 20 - 0.25 - Vehicle.RearAxleToCenter - Vehicle.Length / 2;
        var (_, expected) = new IdmPolicy(10, 1, 1.5, 1, 3).Step(5.0, new IdmLead(gap, 0, 0), 0.5);
        Assert.Equal(expected, states[1].RearAxleVelocity.X, 12);
    }

    [Fact]
    public void The_first_planned_state_is_the_ego_projected_on_the_path_at_the_current_time()
    {
        var scenario = IdmScenarios.Build(20, new Pose(0, 0, 0), 5.0);
        var planner = new IdmPlanner(scenario);
        planner.Initialize(new PlannerInitialization([], null, scenario.MapName));
        var buffer = new HistoryBuffer(22, 0.1);
        var offset = new EgoState(scenario.GetTimeUs(0), new Pose(3, 0.4, 0.05), new Vector2(5, 0.2), new Vector2(0.3, 0), 0.02);
        buffer.Append(offset, []);

        var first = planner.ComputeTrajectory(new PlannerInput(new SimulationIteration(offset.TimeUs, 0), buffer, [])).SampledStates[0];

        Assert.Equal(offset.TimeUs, first.TimeUs);
        Assert.Equal(3 + Vehicle.RearAxleToCenter * Math.Cos(0.05), first.Center(Vehicle).X, 9);
        Assert.Equal(0.0, first.Center(Vehicle).Y, 12);
        Assert.Equal(0.0, first.RearAxle.Heading, 12);
        Assert.Equal(new Vector2(5, 0), first.RearAxleVelocity);
    }
}
