using System.Diagnostics;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.States;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Scenarios.Tests;

public sealed class LoadScenarioTests(SyntheticLogFixture log) : IClassFixture<SyntheticLogFixture>
{
    private ScenarioReference Tagged(string type)
    {
        using var database = NuPlanLogDatabase.Open(log.Path);
        return database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = [type] })[0];
    }

    [Fact]
    public void A_mapped_type_loads_151_iterations_at_10_hz_starting_3_s_before_the_anchor()
    {
        var reference = Tagged("stopping_with_lead");
        using var database = NuPlanLogDatabase.Open(log.Path);
        var scenario = database.LoadScenario(reference);

        Assert.Equal(151, scenario.NumberOfIterations);
        Assert.Equal(reference.TimestampUs - 3_000_000, scenario.GetTimeUs(0));
        Assert.Equal(reference.TimestampUs + 12_000_000, scenario.GetTimeUs(150));
        Assert.Equal(100_000, scenario.GetTimeUs(1) - scenario.GetTimeUs(0));
        Assert.Equal(0.1, scenario.DatabaseIntervalS, 12);
        Assert.Equal(reference.Token, scenario.Token);
        Assert.Equal(log.Summary.LogName, scenario.LogName);
        Assert.Equal("stopping_with_lead", scenario.ScenarioType);
        Assert.Equal("us-nv-las-vegas-strip", scenario.MapName);
        // 44 history rows + 301 window rows + 160 future rows.
        Assert.Equal(44 + 301 + 160, scenario.FrameTimesUs.Length);
        Assert.Equal(44, scenario.IterationFrames[0]);
    }

    [Fact]
    public void An_unknown_type_loads_a_20_s_window_starting_at_the_anchor()
    {
        var tagged = Tagged("high_magnitude_speed");
        var reference = tagged with { ScenarioType = ScenarioTypes.Unknown };
        using var database = NuPlanLogDatabase.Open(log.Path);
        var scenario = database.LoadScenario(reference);

        Assert.Equal(201, scenario.NumberOfIterations);
        Assert.Equal(reference.TimestampUs, scenario.GetTimeUs(0));
    }

    [Fact]
    public void The_history_buffer_request_returns_rows_2_4_to_44_before_iteration_0_with_objects()
    {
        using var database = NuPlanLogDatabase.Open(log.Path);
        var scenario = database.LoadScenario(Tagged("following_lane_with_lead"));

        var past = scenario.GetPastEgoStates(0, 2.2, 22);
        var pastObjects = scenario.GetPastTrackedObjects(0, 2.2, 22);

        var t0 = scenario.GetTimeUs(0);
        Assert.Equal(Enumerable.Range(1, 22).Reverse().Select(k => t0 - k * 100_000L), past.Select(s => s.TimeUs));
        Assert.Equal(22, pastObjects.Count);
        Assert.All(pastObjects, frame => Assert.NotEmpty(frame));
        var future = scenario.GetFutureEgoStates(scenario.NumberOfIterations - 1, 8.0, 16);
        Assert.Equal(16, future.Count);
        Assert.Equal(scenario.GetTimeUs(scenario.NumberOfIterations - 1) + 8_000_000, future[^1].TimeUs);
    }

    [Fact]
    public void Loaded_states_objects_lights_goal_and_route_match_the_database_rows()
    {
        var reference = Tagged("near_multiple_vehicles");
        using var database = NuPlanLogDatabase.Open(log.Path);
        var scenario = database.LoadScenario(reference);
        var frame = scenario.IterationFrames[10];
        var time = scenario.FrameTimesUs[frame];

        var ego = Sql.Query(log.Path,
            $"SELECT e.x, e.y, e.vx, e.vy, e.acceleration_x, e.qw, e.qz FROM lidar_pc lp JOIN ego_pose e ON e.token = lp.ego_pose_token WHERE lp.timestamp = {time}")[0];
        var state = scenario.GetEgoState(10);
        Assert.Equal(time, state.TimeUs);
        Assert.Equal((double)ego[0]!, state.RearAxle.X, 9);
        Assert.Equal((double)ego[1]!, state.RearAxle.Y, 9);
        Assert.Equal(2 * Math.Atan2((double)ego[6]!, (double)ego[5]!), state.RearAxle.Heading, 9);
        Assert.Equal((double)ego[2]!, state.RearAxleVelocity.X, 12);
        Assert.Equal((double)ego[4]!, state.RearAxleAcceleration.X, 12);

        var boxes = Sql.Query(log.Path,
            $"SELECT hex(lb.token), hex(lb.track_token), c.name, lb.vx, lb.length FROM lidar_box lb JOIN lidar_pc lp ON lp.token = lb.lidar_pc_token " +
            $"JOIN track t ON t.token = lb.track_token JOIN category c ON c.token = t.category_token WHERE lp.timestamp = {time}");
        var objects = scenario.GetTrackedObjects(10);
        Assert.Equal(boxes.Count, objects.Count);
        Assert.True(objects.Count(o => o.Type == TrackedObjectType.Vehicle) >= 6);
        foreach (var row in boxes)
        {
            var obj = objects.Single(o => o.Token == ((string)row[0]!).ToLowerInvariant());
            Assert.Equal(((string)row[1]!).ToLowerInvariant(), obj.TrackToken);
            Assert.Equal(TrackedObjectTypes.FromCategoryName((string)row[2]!), obj.Type);
            Assert.Equal(obj.Type.IsAgent() ? (double)row[3]! : 0.0, obj.Velocity.X, 12);
            Assert.Equal((double)row[4]!, obj.Box.Length, 12);
            Assert.Equal(time, obj.TimeUs);
        }

        Assert.Equal(2, scenario.GetTrafficLights(10).Count);
        Assert.All(scenario.GetTrafficLights(10), l => Assert.Equal(time, l.TimeUs));
        Assert.NotNull(scenario.MissionGoal);
        Assert.Equal(3, scenario.RouteRoadblockIds.Count);
        var expectedRoute = (string)Sql.Query(log.Path,
            $"SELECT s.roadblock_ids FROM scene s JOIN lidar_pc lp ON lp.scene_token = s.token WHERE lp.timestamp = {reference.TimestampUs}")[0][0]!;
        Assert.Equal(expectedRoute.Split(' '), scenario.RouteRoadblockIds);
        Assert.Null(scenario.FrameObjects[^1]);
    }

    [Fact]
    public void A_scenario_near_the_log_end_clamps_its_future_rows()
    {
        using var database = NuPlanLogDatabase.Open(log.Path);
        var last = database.EnumerateScenarios(ScenarioQuery.All)[^1];
        // The last valid frame is two 20 s scenes before the log end; a 45 s window runs past it.
        var scenario = database.LoadScenario(last, new ScenarioExtraction(45, 0, 0.5));

        Assert.Equal(401, scenario.NumberOfIterations);
        Assert.Equal(44 + 801, scenario.FrameTimesUs.Length);
        Assert.Equal(log.Summary.StartTimestampUs + (log.Summary.FrameCount - 1) * 50_000L, scenario.FrameTimesUs[^1]);
    }

    [Fact]
    public void An_unknown_token_fails_with_a_scenario_data_error_and_a_malformed_one_with_a_configuration_error()
    {
        using var database = NuPlanLogDatabase.Open(log.Path);
        var good = database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = ["behind_bike"] })[0];

        var missing = Assert.Throws<ScenarioDataException>(() => database.LoadScenario(good with { Token = "0000000000000000" }));
        Assert.Contains("0000000000000000", missing.Reason);
        Assert.Throws<ConfigurationException>(() => database.LoadScenario(good with { Token = "xyz" }));
    }

    [Fact]
    public void A_15_s_scenario_with_about_50_objects_per_frame_loads_in_milliseconds()
    {
        using var directory = new TempDirectory();
        var summary = SyntheticLogGenerator.Generate(
            directory.File("dense.db"), new SyntheticLogOptions { Seed = 5, SituationCount = 3, ParkedVehicleSpacingM = 8 });
        using var database = NuPlanLogDatabase.Open(summary.Path);
        var reference = database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = ScenarioTypes.All })[0];
        database.LoadScenario(reference);

        const int runs = 10;
        var watch = Stopwatch.StartNew();
        var objects = 0;
        for (var i = 0; i < runs; i++)
        {
            var scenario = database.LoadScenario(reference);
            objects = scenario.GetTrackedObjects(0).Count;
        }
        watch.Stop();
        var perLoad = watch.Elapsed.TotalMilliseconds / runs;
        Assert.True(objects >= 45, $"{objects} objects per frame");
        Assert.True(perLoad < 250, $"a load took {perLoad:F1} ms");
    }

    [Fact]
    public void The_catalog_loads_a_scenario_by_reference_without_an_open_database()
    {
        var scenario = ScenarioCatalog.LoadScenario(Tagged("behind_bike"));
        Assert.Equal(151, scenario.NumberOfIterations);
        Assert.Contains(scenario.GetTrackedObjects(30), o => o.Type == TrackedObjectType.Bicycle);
    }
}
