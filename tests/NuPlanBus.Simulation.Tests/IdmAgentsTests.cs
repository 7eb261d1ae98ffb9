using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Components;
using NuPlanBus.Simulation.Idm;
using NuPlanBus.Simulation.Observations;
using NuPlanBus.Simulation.Routes;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Simulation.Tests;

public class IdmAgentsTests
{
    private static readonly VehicleParameters Vehicle = VehicleParameters.Pacifica;

    private static void Step(IdmAgentsObservation observation, RecordedScenario scenario, int from, EgoState? ego = null)
    {
        var buffer = new HistoryBuffer(22, 0.1);
        buffer.Append(ego ?? scenario.GetEgoState(from), observation.GetObservation());
        observation.UpdateObservation(
            new SimulationIteration(scenario.GetTimeUs(from), from), new SimulationIteration(scenario.GetTimeUs(from + 1), from + 1), buffer);
    }

    private static TrackedObject Track(IReadOnlyList<TrackedObject> objects, string track) => objects.Single(o => o.TrackToken == track);

    [Fact]
    public void An_agent_brakes_behind_a_standing_ego_and_stops_with_a_gap()
    {
        var follower = new ObjectSpec("follower", TrackedObjectType.Vehicle, new Pose(-60, 0, 0), 8.0);
        var scenario = IdmScenarios.Build(151, new Pose(0, 0, 0), 0.0, follower);

        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "log_play_back_controller", "idm_agents_observation");
        runner.Run();

        var ego = new BoxShape(scenario.GetEgoState(0).Footprint(Vehicle));
        var agents = runner.Simulation.History.Samples.Select(s => Track(s.Observation, "follower")).ToArray();
        Assert.All(agents, a => Assert.True(BoxShape.Distance(ego, new BoxShape(a.Box)) > 0.5, $"agent at {a.Box.Center}"));
        Assert.True(agents[^1].Speed < 0.1, $"final agent speed {agents[^1].Speed}");
        var gap = BoxShape.Distance(ego, new BoxShape(agents[^1].Box));
        Assert.InRange(gap, 0.9, 3.0);
        // Replayed, the same log drives straight through the ego.
        Assert.True(scenario.GetTrackedObjects(150)[0].Box.Center.X > 50);
    }

    [Fact]
    public void An_agent_follows_its_logged_track_and_keeps_its_iteration_zero_tokens()
    {
        var turning = new ObjectSpec("car", TrackedObjectType.Vehicle, new Pose(20, 20, 0.4), 6.0);
        var scenario = IdmScenarios.Build(30, new Pose(0, 0, 0), 0.0, turning);
        var observation = new IdmAgentsObservation(scenario);
        observation.Initialize();

        var initial = Track(observation.GetObservation(), "car");
        var logged0 = scenario.GetTrackedObjects(0)[0];
        Assert.Equal(logged0 with { Velocity = initial.Velocity }, initial);
        Assert.Equal(logged0.Velocity.X, initial.Velocity.X, 12);
        Assert.Equal(logged0.Velocity.Y, initial.Velocity.Y, 12);
        for (var i = 0; i < 10; i++)
        {
            Step(observation, scenario, i);
        }
        var moved = Track(observation.GetObservation(), "car");

        Assert.Equal(initial.Token, moved.Token);
        Assert.Equal(scenario.GetTimeUs(10), moved.TimeUs);
        Assert.Equal(0.4, moved.Box.Center.Heading, 9);
        // The agent is on its logged line, accelerating from 6 m/s towards 10 m/s: ahead of the log.
        var logged = scenario.GetTrackedObjects(10)[0].Box.Center;
        var along = (moved.Box.Center.X - 20) * Math.Cos(0.4) + (moved.Box.Center.Y - 20) * Math.Sin(0.4);
        var across = -(moved.Box.Center.X - 20) * Math.Sin(0.4) + (moved.Box.Center.Y - 20) * Math.Cos(0.4);
        Assert.Equal(0.0, across, 9);
        Assert.True(along > logged.DistanceTo(new Pose(20, 20, 0.4)));
        Assert.Equal(moved.Speed * Math.Cos(0.4), moved.Velocity.X, 9);
        Assert.Equal(moved.Speed * Math.Sin(0.4), moved.Velocity.Y, 9);
    }

    [Fact]
    public void Pedestrians_and_static_objects_are_replayed_and_bicycles_are_dropped()
    {
        var scenario = IdmScenarios.Build(
            20,
            new Pose(0, 0, 0),
            5.0,
            new ObjectSpec("car", TrackedObjectType.Vehicle, new Pose(30, 10, 0), 5.0),
            new ObjectSpec("walker", TrackedObjectType.Pedestrian, new Pose(10, -10, 1.5), 1.2, 0.6, 0.6),
            new ObjectSpec("cyclist", TrackedObjectType.Bicycle, new Pose(-10, 5, 0), 4.0, 1.8, 0.6),
            new ObjectSpec("cone", TrackedObjectType.TrafficCone, new Pose(15, 3, 0), 0.0, 0.4, 0.4));
        var observation = new IdmAgentsObservation(scenario);
        observation.Initialize();

        for (var i = 0; i < 5; i++)
        {
            var objects = observation.GetObservation();
            Assert.Equal(["car", "walker", "cone"], objects.Select(o => o.TrackToken).ToArray());
            Assert.Equal(Track(scenario.GetTrackedObjects(i), "walker"), Track(objects, "walker"));
            Assert.Equal(Track(scenario.GetTrackedObjects(i), "cone"), Track(objects, "cone"));
            Step(observation, scenario, i);
        }
    }

    [Fact]
    public void Agents_farther_than_100_m_from_the_ego_are_removed_for_good()
    {
        var scenario = IdmScenarios.Build(
            20,
            new Pose(0, 0, 0),
            0.0,
            new ObjectSpec("near", TrackedObjectType.Vehicle, new Pose(50, 10, 0), 0.0),
            new ObjectSpec("far", TrackedObjectType.Vehicle, new Pose(-120, 0, 0), 0.0));
        var observation = new IdmAgentsObservation(scenario);
        observation.Initialize();

        Assert.Equal(["near", "far"], observation.GetObservation().Select(o => o.TrackToken).ToArray());
        Step(observation, scenario, 0);
        Assert.Equal(["near"], observation.GetObservation().Select(o => o.TrackToken).ToArray());

        // Even when the ego comes back within range, a removed agent stays removed.
        var between = scenario.GetEgoState(1) with { RearAxle = new Pose(-40, 0, 0) };
        Step(observation, scenario, 1, between);
        Assert.Equal(1, observation.ActiveAgentCount);
        Assert.Equal(["near"], observation.GetObservation().Select(o => o.TrackToken).ToArray());
    }

    [Fact]
    public void Vehicles_overlapping_the_ego_or_an_earlier_agent_are_not_simulated()
    {
        var scenario = IdmScenarios.Build(
            10,
            new Pose(0, 0, 0),
            5.0,
            new ObjectSpec("on-ego", TrackedObjectType.Vehicle, new Pose(2, 0.5, 0.2), 5.0),
            new ObjectSpec("first", TrackedObjectType.Vehicle, new Pose(30, 0, 0), 5.0),
            new ObjectSpec("second", TrackedObjectType.Vehicle, new Pose(32, 1, 0), 5.0),
            new ObjectSpec("clear", TrackedObjectType.Vehicle, new Pose(30, 8, 0), 5.0));
        var observation = new IdmAgentsObservation(scenario);

        Assert.Equal(["first", "clear"], observation.GetObservation().Select(o => o.TrackToken).ToArray());
        Assert.Equal(RouteSources.LoggedTrack, observation.RouteSource);
    }

    [Fact]
    public void A_queue_of_agents_brakes_behind_a_stopped_vehicle_without_collisions()
    {
        var scenario = IdmScenarios.Build(
            151,
            new Pose(0, 30, 0),
            0.0,
            new ObjectSpec("a", TrackedObjectType.Vehicle, new Pose(-20, 0, 0), 9.0),
            new ObjectSpec("b", TrackedObjectType.Vehicle, new Pose(-40, 0, 0), 10.0),
            new ObjectSpec("c", TrackedObjectType.Vehicle, new Pose(-60, 0, 0), 11.0),
            new ObjectSpec("barrier", TrackedObjectType.Barrier, new Pose(40, 0, Math.PI / 2), 0.0, 4.0, 0.5));
        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "log_play_back_controller", "idm_agents_observation");
        runner.Run();

        foreach (var sample in runner.Simulation.History.Samples)
        {
            var boxes = sample.Observation.Select(o => new BoxShape(o.Box)).ToArray();
            for (var i = 0; i < boxes.Length; i++)
            {
                for (var j = i + 1; j < boxes.Length; j++)
                {
                    Assert.False(BoxShape.Intersects(boxes[i], boxes[j]), $"collision at iteration {sample.Iteration.Index}");
                }
            }
        }
        var last = runner.Simulation.History.Last().Observation;
        Assert.All(last.Where(o => o.Type == TrackedObjectType.Vehicle), o => Assert.True(o.Speed < 0.5, $"{o.TrackToken} at {o.Speed} m/s"));
        Assert.True(Track(last, "a").Box.Center.X < 40 - 0.25 - 2.25 - 0.9);
    }

    [Fact]
    public void Reactive_simulation_is_deterministic()
    {
        var scenario = TestScenarios.Straight(iterations: 60, speed: 8.0, agents: 12);

        static SimulationHistory Run(RecordedScenario scenario)
        {
            var runner = SimulationBuilder.Build(scenario, "idm_planner", "two_stage_controller", "idm_agents_observation");
            runner.Run();
            return runner.Simulation.History;
        }

        var first = Run(scenario);
        var second = Run(scenario);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first.Samples[i].EgoState, second.Samples[i].EgoState);
            Assert.Equal(first.Samples[i].Trajectory.SampledStates, second.Samples[i].Trajectory.SampledStates);
            Assert.Equal(first.Samples[i].Observation, second.Samples[i].Observation);
        }
    }

    [Fact]
    public void The_idm_components_are_registered_and_report_their_route_source()
    {
        var planner = BuiltInComponents.PlannerRegistry().Get("idm_planner");
        var observation = BuiltInComponents.ObservationRegistry().Get("idm_agents_observation");
        Assert.IsType<IdmPlannerFactory>(planner);
        Assert.IsType<IdmAgentsObservationFactory>(observation);
        Assert.Equal("expert_path", ((IHasRouteSource)planner).RouteSource);
        Assert.Equal("logged_track", ((IHasRouteSource)observation).RouteSource);
        Assert.Equal("IDMPlanner", planner.Create(TestScenarios.Straight()).Name);
    }
}
