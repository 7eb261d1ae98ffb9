using NuPlanBus.Common.Experiments;

namespace NuPlanBus.Common.Tests.Experiments;

public class RunLayoutTests
{
    [Fact]
    public void A_simulation_log_path_parses_back_to_where_it_was_built()
    {
        var path = RunLayout.SimulationLog("run", "IDMPlanner", "following_lane_with_lead", "2021.05.12.log", "a1b2c3d4e5f60718");
        var relative = Path.GetRelativePath(Path.Combine("run", RunLayout.SimulationLogDirectoryName), path);

        Assert.True(RunLayout.TryParseSimulationLog(relative, out var location));
        Assert.Equal(new SimulationLogLocation("IDMPlanner", "following_lane_with_lead", "2021.05.12.log", "a1b2c3d4e5f60718"), location);
    }

    [Theory]
    [InlineData("notes.msgpack.zst")]
    [InlineData("planner/type/log/token/other.msgpack.zst")]
    [InlineData("type/log/token/token.msgpack.zst")]
    [InlineData("planner//log/token/token.msgpack.zst")]
    public void A_file_outside_the_layout_is_not_a_simulation_log(string relative)
    {
        Assert.False(RunLayout.TryParseSimulationLog(relative, out _));
    }

    [Fact]
    public void A_prefix_before_the_layout_is_allowed()
    {
        Assert.True(RunLayout.TryParseSimulationLog("exp/sim/planner/type/log/token/token.msgpack.zst", out var location));
        Assert.Equal("planner", location.PlannerName);
        Assert.Equal("token", location.ScenarioName);
    }

    [Fact]
    public void A_segment_that_would_leave_the_run_directory_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RunLayout.SimulationLog("run", "..", "type", "log", "token"));
        Assert.Throws<ArgumentException>(() => RunLayout.SimulationLog("run", "planner", "a/b", "log", "token"));
    }
}
