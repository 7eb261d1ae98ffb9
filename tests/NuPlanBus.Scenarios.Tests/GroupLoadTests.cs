using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Scenarios;

namespace NuPlanBus.Scenarios.Tests;

/// <summary>Loading scenarios together from one pass over their rows gives exactly what loading each alone gives.</summary>
public sealed class GroupLoadTests(SyntheticLogFixture log) : IClassFixture<SyntheticLogFixture>
{
    private List<ScenarioReference> Scenarios(bool untagged)
    {
        using var database = NuPlanLogDatabase.Open(log.Path);
        return [.. database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = untagged ? [] : ScenarioTypes.All })];
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 4)]
    [InlineData(false, 1000)]
    [InlineData(true, 16)]
    public void Every_scenario_loaded_in_groups_equals_the_scenario_loaded_alone(bool untagged, int groupSize)
    {
        // Untagged scenarios start at every frame; a few hundred consecutive ones overlap like a dense sweep.
        var references = untagged ? Scenarios(untagged).Take(240).ToList() : Scenarios(untagged);
        Assert.True(references.Count >= 8, $"{references.Count} scenarios");
        using var database = NuPlanLogDatabase.Open(log.Path);
        foreach (var group in references.Chunk(groupSize))
        {
            var loads = database.LoadScenarios(group);
            Assert.Equal(group.Length, loads.Count);
            for (var i = 0; i < group.Length; i++)
            {
                AssertSame(database.LoadScenario(group[i]), loads[i].GetOrThrow());
            }
        }
    }

    [Fact]
    public void Results_follow_the_order_asked_for_whatever_the_order_in_the_log()
    {
        var references = Scenarios(untagged: true).Take(12).Reverse().ToArray();
        using var database = NuPlanLogDatabase.Open(log.Path);

        var loads = database.LoadScenarios(references);

        Assert.Equal(references.Select(r => r.Token), loads.Select(l => l.GetOrThrow().Token));
        Assert.Equal(references.Select(r => r.TimestampUs), loads.Select(l => l.GetOrThrow().GetTimeUs(0)));
    }

    [Fact]
    public void A_bad_scenario_in_a_group_fails_alone_with_its_own_error()
    {
        var references = Scenarios(untagged: true).Take(6).ToArray();
        var asked = references.ToArray();
        asked[1] = asked[1] with { Token = "0000000000000000" };
        asked[3] = asked[3] with { Token = "not-a-token" };
        asked[4] = asked[4] with { LogName = "another-log" };
        using var database = NuPlanLogDatabase.Open(log.Path);

        var loads = database.LoadScenarios(asked);

        var unknown = Assert.IsType<ScenarioDataException>(loads[1].Error);
        Assert.Contains("0000000000000000", unknown.Reason);
        Assert.IsType<ConfigurationException>(loads[3].Error);
        Assert.Contains("another-log", Assert.IsType<ArgumentException>(loads[4].Error).Message);
        Assert.Throws<ScenarioDataException>(() => loads[1].GetOrThrow());
        foreach (var i in new[] { 0, 2, 5 })
        {
            Assert.Null(loads[i].Error);
            AssertSame(database.LoadScenario(references[i]), loads[i].GetOrThrow());
        }
    }

    [Fact]
    public void A_scenario_whose_rows_are_rejected_fails_alone_and_its_neighbours_still_load()
    {
        using var directory = new TempDirectory();
        var path = directory.File(SyntheticLogFixture.Options.LogName + ".db");
        File.Copy(log.Path, path);
        List<ScenarioReference> references;
        using (var database = NuPlanLogDatabase.Open(path))
        {
            references = [.. database.EnumerateScenarios(new ScenarioQuery { ScenarioTypes = [] }).Take(40)];
        }
        // One object of an unknown category, at the last frame of the last scenario's window only: the earlier
        // scenarios' windows (and history rows) end before it.
        var victim = references[^1];
        var rejectedAt = victim.TimestampUs + 20_000_000;
        Sql.Execute(path, "INSERT INTO category (token, name, description) VALUES (X'00000000000000AA', 'hovercraft', 'unknown')");
        Sql.Execute(path, "INSERT INTO track (token, category_token) VALUES (X'00000000000000BB', X'00000000000000AA')");
        Sql.Execute(
            path,
            """
            UPDATE lidar_box SET track_token = X'00000000000000BB'
            WHERE token = (SELECT lb.token FROM lidar_box AS lb
                           INNER JOIN lidar_pc AS lp ON lp.token = lb.lidar_pc_token
                           WHERE lp.timestamp = $t LIMIT 1)
            """,
            ("$t", rejectedAt));
        using var broken = NuPlanLogDatabase.Open(path);

        var loads = broken.LoadScenarios(references);

        var failed = loads.Select((l, i) => (l, i)).Where(x => x.l.Error is not null).Select(x => x.i).ToList();
        Assert.Contains(references.Count - 1, failed);
        Assert.True(failed.Count < references.Count / 2, $"{failed.Count} of {references.Count} failed");
        Assert.Contains("hovercraft", Assert.IsType<ScenarioDataException>(loads[^1].Error).Reason);
        Assert.NotNull(loads[0].Scenario);
    }

    private static void AssertSame(RecordedScenario expected, RecordedScenario actual)
    {
        Assert.Equal(expected.Metadata, actual.Metadata);
        Assert.Equal(expected.FrameTimesUs, actual.FrameTimesUs);
        Assert.Equal(expected.FrameEgoStates, actual.FrameEgoStates);
        Assert.Equal(expected.IterationFrames, actual.IterationFrames);
        Assert.Equal(expected.MissionGoal, actual.MissionGoal);
        Assert.Equal(expected.RouteRoadblockIds, actual.RouteRoadblockIds);
        Assert.Equal(expected.FrameObjects.Length, actual.FrameObjects.Length);
        for (var f = 0; f < expected.FrameObjects.Length; f++)
        {
            Assert.Equal(expected.FrameObjects[f] is null, actual.FrameObjects[f] is null);
            Assert.Equal(expected.FrameObjects[f] ?? [], actual.FrameObjects[f] ?? []);
            Assert.Equal(expected.FrameTrafficLights[f] is null, actual.FrameTrafficLights[f] is null);
            Assert.Equal(expected.FrameTrafficLights[f] ?? [], actual.FrameTrafficLights[f] ?? []);
        }
    }
}
