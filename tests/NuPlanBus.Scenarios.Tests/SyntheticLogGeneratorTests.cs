using System.Diagnostics;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Scenarios.Tests;

public sealed class SyntheticLogGeneratorTests(SyntheticLogFixture log) : IClassFixture<SyntheticLogFixture>
{
    private const double Dt = 0.05;

    [Fact]
    public void The_same_seed_writes_identical_logical_content_and_another_seed_does_not()
    {
        using var directory = new TempDirectory();
        var options = new SyntheticLogOptions { Seed = 7, SituationCount = 4 };
        var a = SyntheticLogGenerator.Generate(directory.File("a.db"), options);
        var b = SyntheticLogGenerator.Generate(directory.File("b.db"), options);
        var c = SyntheticLogGenerator.Generate(directory.File("c.db"), options with { Seed = 8 });

        foreach (var table in NuPlanDbSchema.CreateTableStatements.Select(TableName))
        {
            var sql = $"SELECT * FROM {table} ORDER BY rowid";
            Assert.Equal(Dump(Sql.Query(a.Path, sql)), Dump(Sql.Query(b.Path, sql)));
        }
        Assert.Equal(a.Tags, b.Tags);
        Assert.NotEqual(Dump(Sql.Query(a.Path, "SELECT token, x, y FROM ego_pose")), Dump(Sql.Query(c.Path, "SELECT token, x, y FROM ego_pose")));
    }

    [Fact]
    public void Tokens_are_8_bytes_and_frames_are_20_hz_with_linked_neighbours()
    {
        var lengths = Sql.Query(log.Path, "SELECT DISTINCT length(token) FROM lidar_pc UNION SELECT DISTINCT length(token) FROM lidar_box");
        Assert.Equal([8L], lengths.Select(r => (long)r[0]!).Distinct());

        var frames = Sql.Query(log.Path, "SELECT timestamp, prev_token IS NULL, next_token IS NULL FROM lidar_pc ORDER BY timestamp");
        Assert.Equal(log.Summary.FrameCount, frames.Count);
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.Equal(50_000L, (long)frames[i][0]! - (long)frames[i - 1][0]!);
        }
        Assert.Equal(1L, frames[0][1]);
        Assert.Equal(1L, frames[^1][2]);
        Assert.Equal(2, Sql.Query(log.Path, "SELECT 1 FROM lidar_pc WHERE prev_token IS NULL OR next_token IS NULL").Count);
        Assert.Empty(Sql.Query(log.Path,
            "SELECT 1 FROM lidar_pc a JOIN lidar_pc b ON b.token = a.next_token WHERE b.prev_token != a.token"));
    }

    [Fact]
    public void Scenes_sort_chronologically_and_point_their_goal_at_an_existing_ego_pose()
    {
        var scenes = Sql.Query(log.Path,
            "SELECT s.name, MIN(lp.timestamp), g.token IS NOT NULL, s.roadblock_ids FROM scene s " +
            "JOIN lidar_pc lp ON lp.scene_token = s.token LEFT JOIN ego_pose g ON g.token = s.goal_ego_pose_token " +
            "GROUP BY s.token ORDER BY s.name");
        Assert.True(scenes.Count >= 5);
        Assert.Equal(log.Summary.SceneCount, scenes.Count);
        for (var i = 1; i < scenes.Count; i++)
        {
            Assert.True((long)scenes[i][1]! > (long)scenes[i - 1][1]!);
        }
        Assert.All(scenes, s => Assert.Equal(1L, s[2]));
        Assert.All(scenes, s => Assert.Equal(3, ((string)s[3]!).Split(' ').Length));
        Assert.Equal(
            NuPlanDbSchema.CategoryNames.Order(),
            Sql.Query(log.Path, "SELECT name FROM category ORDER BY name").Select(r => (string)r[0]!));
    }

    [Fact]
    public void Tagged_anchors_use_nuplan_types_and_leave_history_and_future_outside_the_edge_scenes()
    {
        var summary = log.Summary;
        Assert.True(summary.Tags.Select(t => t.Frame).Distinct().Count() >= 14);
        Assert.All(summary.Tags, t => Assert.Contains(t.ScenarioType, ScenarioTypes.All));
        var perScene = summary.FramesPerScene;
        foreach (var tag in summary.Tags)
        {
            var scene = tag.Frame / perScene;
            Assert.InRange(scene, 2, summary.SceneCount - 3);
            Assert.True(tag.Frame - (int)((3.0 + 2.2) / Dt) >= 0);
            Assert.True(tag.Frame + (int)((12.0 + 8.0) / Dt) < summary.FrameCount);
        }
        string[] expected =
        [
            "following_lane_with_lead", "stopping_with_lead", "stationary_in_traffic", "changing_lane", "high_magnitude_speed",
            "near_multiple_vehicles", "waiting_for_pedestrian_to_cross", "behind_bike", "near_multiple_bikes",
        ];
        Assert.All(expected, type => Assert.Contains(summary.Tags, t => t.ScenarioType == type));
        Assert.Empty(Sql.Query(log.Path, "SELECT 1 FROM image UNION ALL SELECT 1 FROM camera"));
    }

    [Fact]
    public void Ego_velocity_and_acceleration_in_the_vehicle_frame_match_finite_differences_of_the_rear_axle()
    {
        var rows = Sql.Query(log.Path,
            "SELECT e.x, e.y, e.qw, e.qx, e.qy, e.qz, e.vx, e.vy, e.acceleration_x, e.acceleration_y " +
            "FROM lidar_pc lp JOIN ego_pose e ON e.token = lp.ego_pose_token ORDER BY lp.timestamp");
        double D(int i, int c) => (double)rows[i][c]!;
        var maxVelocityError = 0.0;
        var maxAccelerationError = 0.0;
        for (var i = 1; i < rows.Count - 1; i++)
        {
            var yaw = NuPlanLogDatabase.Yaw(D(i, 2), D(i, 3), D(i, 4), D(i, 5));
            var global = new Vector2((D(i + 1, 0) - D(i - 1, 0)) / (2 * Dt), (D(i + 1, 1) - D(i - 1, 1)) / (2 * Dt));
            var local = global.Rotate(-yaw);
            maxVelocityError = Math.Max(maxVelocityError, (local - new Vector2(D(i, 6), D(i, 7))).Magnitude);

            var longitudinal = (D(i + 1, 6) - D(i - 1, 6)) / (2 * Dt);
            maxAccelerationError = Math.Max(maxAccelerationError, Math.Abs(longitudinal - D(i, 8)));
        }
        Assert.True(maxVelocityError < 0.02, $"velocity error {maxVelocityError} m/s");
        Assert.True(maxAccelerationError < 0.05, $"acceleration error {maxAccelerationError} m/s²");
        // nuPlan's ego_is_comfortable bounds: the expert drive must pass them.
        Assert.InRange(rows.Max(r => (double)r[8]!), 0.0, 2.4);
        Assert.InRange(rows.Min(r => (double)r[8]!), -4.05, 0.0);
        Assert.True(rows.Max(r => Math.Abs((double)r[9]!)) < 3.0, "lateral accelerations stay comfortable");
    }

    [Fact]
    public void Box_velocities_are_global_and_match_the_motion_of_the_box_centres()
    {
        var rows = Sql.Query(log.Path,
            "SELECT lb.x, lb.y, lb.vx, lb.vy, n.x, n.y, p.x, p.y FROM lidar_box lb " +
            "JOIN lidar_box n ON n.token = lb.next_token JOIN lidar_box p ON p.token = lb.prev_token");
        Assert.NotEmpty(rows);
        foreach (var r in rows)
        {
            var vx = ((double)r[4]! - (double)r[6]!) / (2 * Dt);
            var vy = ((double)r[5]! - (double)r[7]!) / (2 * Dt);
            Assert.True(Math.Abs(vx - (double)r[2]!) < 0.02 && Math.Abs(vy - (double)r[3]!) < 0.02);
        }
    }

    [Fact]
    public void The_logged_drive_never_overlaps_another_object()
    {
        using var database = NuPlanLogDatabase.Open(log.Path);
        var vehicle = VehicleParameters.Pacifica;
        foreach (var reference in database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = ScenarioTypes.All }))
        {
            var scenario = database.LoadScenario(reference);
            for (var i = 0; i < scenario.NumberOfIterations; i++)
            {
                var ego = scenario.GetEgoState(i).Footprint(vehicle);
                foreach (var obj in scenario.GetTrackedObjects(i))
                {
                    Assert.False(Overlaps(ego, obj.Box),
                        $"{reference.ScenarioType} iteration {i}: ego overlaps {obj.Type} {obj.TrackToken}");
                }
            }
        }
    }

    [Fact]
    public void A_default_log_generates_in_seconds_not_minutes()
    {
        using var directory = new TempDirectory();
        SyntheticLogGenerator.Generate(directory.File("warmup.db"), new SyntheticLogOptions { Seed = 1, SituationCount = 1 });
        var watch = Stopwatch.StartNew();
        var summary = SyntheticLogGenerator.Generate(directory.File("timed.db"), new SyntheticLogOptions { Seed = 3 });
        watch.Stop();
        Assert.True(summary.Tags.Select(t => t.Frame).Distinct().Count() >= 14);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"generation took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void The_sample_dataset_names_logs_like_nuplan_and_yields_at_least_fifty_challenge_scenarios_from_four_logs()
    {
        using var directory = new TempDirectory();
        var paths = SampleDataset.Generate(directory.Path, 4, seed: 11);
        var again = SampleDataset.Generate(directory.File("again"), 4, seed: 11);

        Assert.Equal(4, paths.Count);
        Assert.Equal(paths.Select(Path.GetFileName), again.Select(Path.GetFileName));
        Assert.All(paths, p => Assert.Matches(@"^\d{4}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.\d{2}_veh-\d+_\d{5}_\d{5}\.db$", Path.GetFileName(p)));
        var typed = ScenarioCatalog.Build(paths, new ScenarioFilter { ScenarioTypes = ScenarioTypes.All });
        Assert.True(typed.Count >= 50, $"{typed.Count} typed scenarios");
        Assert.All(paths, p => Assert.True(typed.Count(s => s.LogPath == p) >= 15));
        var challenge = ScenarioCatalog.Build(paths, ScenarioFilter.Challenge);
        Assert.True(challenge.Count >= 40, $"{challenge.Count} challenge scenarios");
    }

    [Fact]
    public void The_sample_dataset_writes_its_map_and_every_scenario_route_alternates_roadblocks_of_that_map_from_the_expert_start()
    {
        using var directory = new TempDirectory();
        var paths = SampleDataset.Generate(directory.Path, 2, seed: 5);

        var root = new Maps.MapsRoot(SampleDataset.MapsDirectory(directory.Path));
        var map = new Maps.MapProvider().Get(root, SampleDataset.MapName);
        Assert.Equal(SampleDataset.MapVersion, root.Locations[SampleDataset.MapName]);
        var scenarios = ScenarioCatalog.Build(paths, new ScenarioFilter { ScenarioTypes = ScenarioTypes.All });
        Assert.All(scenarios, s => Assert.Equal(SampleDataset.MapName, s.MapName));
        foreach (var reference in scenarios.Take(12))
        {
            var scenario = ScenarioCatalog.LoadScenario(reference);
            var route = scenario.RouteRoadblockIds;
            Assert.True(route.Count >= 2, $"{reference.Token}: route {string.Join(' ', route)}");
            for (var i = 0; i < route.Count; i++)
            {
                var block = map.GetRoadblockOrConnector(route[i]);
                Assert.NotNull(block);
                if (i > 0)
                {
                    var previous = map.GetRoadblockOrConnector(route[i - 1])!;
                    Assert.NotEqual(previous is Maps.Objects.Roadblock, block is Maps.Objects.Roadblock);
                    Assert.Contains(block, previous.OutgoingEdges);
                }
            }
            // The expert's centre at the start lies in a lane of the first roadblock or in its connector.
            var start = scenario.GetEgoState(0).Center(scenario.Vehicle);
            var lane = map.LanesAt(start.X, start.Y).Concat<Maps.Objects.LaneGraphEdge>(map.LaneConnectorsAt(start.X, start.Y)).First();
            Assert.True(route.Contains(lane.RoadblockId), $"{reference.Token}: {lane.RoadblockId} not in {string.Join(' ', route)}");
        }
    }

    private static string TableName(string createStatement) =>
        createStatement.Split(['(', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)[2];

    private static List<string> Dump(List<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            byte[] b => Convert.ToHexString(b),
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            null => "NULL",
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        }))).ToList();

    /// <summary>Separating-axis test for two oriented boxes.</summary>
    private static bool Overlaps(OrientedBox a, OrientedBox b)
    {
        var ca = a.Corners();
        var cb = b.Corners();
        foreach (var heading in new[] { a.Center.Heading, b.Center.Heading })
        {
            foreach (var axis in new[] { new Vector2(Math.Cos(heading), Math.Sin(heading)), new Vector2(-Math.Sin(heading), Math.Cos(heading)) })
            {
                var (minA, maxA) = Project(ca, axis);
                var (minB, maxB) = Project(cb, axis);
                if (maxA < minB || maxB < minA)
                {
                    return false;
                }
            }
        }
        return true;

        static (double Min, double Max) Project(Vector2[] corners, Vector2 axis)
        {
            var values = corners.Select(c => c.Dot(axis)).ToArray();
            return (values.Min(), values.Max());
        }
    }
}
