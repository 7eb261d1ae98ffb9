namespace NuPlanBus.Scenarios.Tests;

public sealed class EnumerationTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _path;

    public EnumerationTests()
    {
        _path = _directory.File("tiny_log.db");
        TinyLog.Create(_path);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Untyped_enumeration_returns_every_frame_of_the_valid_scenes_excluding_the_first_two_and_last_two()
    {
        using var database = NuPlanLogDatabase.Open(_path);
        var scenarios = database.EnumerateScenarios(ScenarioQuery.All);

        Assert.Equal(Enumerable.Range(10, 30).Select(TinyLog.Hex), scenarios.Select(s => s.Token));
        Assert.Equal(Enumerable.Range(10, 30).Select(i => i * 1_000_000L), scenarios.Select(s => s.TimestampUs));
        Assert.All(scenarios, s => Assert.Equal("us-ma-boston", s.MapName));
        Assert.All(scenarios, s => Assert.Equal("tiny_log", s.LogName));
        Assert.Equal(ScenarioTypes.Unknown, scenarios[0].ScenarioType);
    }

    [Fact]
    public void A_frame_with_several_tags_takes_the_greatest_tag()
    {
        using var database = NuPlanLogDatabase.Open(_path);
        var byToken = database.EnumerateScenarios(ScenarioQuery.All).ToDictionary(s => s.Token, s => s.ScenarioType);

        Assert.Equal("first_tag", byToken[TinyLog.Hex(25)]);
        Assert.Equal("second_tag", byToken[TinyLog.Hex(30)]);
        Assert.Equal("second_tag", byToken[TinyLog.Hex(35)]);
    }

    [Theory]
    [InlineData("first_tag", new[] { 25, 30 })]
    [InlineData("second_tag", new[] { 30, 35 })]
    public void A_type_filter_keeps_only_frames_with_that_tag_and_reports_the_matching_tag(string type, int[] frames)
    {
        using var database = NuPlanLogDatabase.Open(_path);
        var scenarios = database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = [type], RemoveInvalidGoals = false });

        Assert.Equal(frames.Select(TinyLog.Hex), scenarios.Select(s => s.Token));
        Assert.All(scenarios, s => Assert.Equal(type, s.ScenarioType));
    }

    [Fact]
    public void Removing_invalid_goals_drops_the_frames_of_a_scene_whose_goal_pose_does_not_exist()
    {
        Sql.Execute(_path, "UPDATE scene SET goal_ego_pose_token = x'DEADBEEF' WHERE name = 'scene-003'");
        using var database = NuPlanLogDatabase.Open(_path);

        var kept = database.EnumerateScenarios(new ScenarioQuery { RemoveInvalidGoals = true });
        var all = database.EnumerateScenarios(new ScenarioQuery { RemoveInvalidGoals = false });

        Assert.Equal(30, all.Count);
        Assert.Equal(25, kept.Count);
        Assert.DoesNotContain(kept, s => s.Token == TinyLog.Hex(15));
    }

    [Fact]
    public void A_map_filter_for_another_map_returns_nothing()
    {
        using var database = NuPlanLogDatabase.Open(_path);

        Assert.Empty(database.EnumerateScenarios(new ScenarioQuery { MapNames = ["sg-one-north"] }));
        Assert.Equal(30, database.EnumerateScenarios(new ScenarioQuery { MapNames = ["us-ma-boston"] }).Count);
    }

    [Fact]
    public void A_log_with_fewer_than_five_scenes_yields_no_scenarios()
    {
        Sql.Execute(_path, "DELETE FROM scene WHERE name > 'scene-003'");
        using var database = NuPlanLogDatabase.Open(_path);

        Assert.Empty(database.EnumerateScenarios(ScenarioQuery.All));
    }

    [Fact]
    public void The_scenario_id_joins_log_name_and_token()
    {
        var reference = new ScenarioReference("/data/a.db", "a", "00112233445566aa", 5, "m", "t");
        Assert.Equal("a/00112233445566aa", reference.ScenarioId);
    }
}
