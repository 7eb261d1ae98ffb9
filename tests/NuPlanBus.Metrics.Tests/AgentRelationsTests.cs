using NuPlanBus.Domain.Geometry;
using NuPlanBus.Metrics.Numerics;

namespace NuPlanBus.Metrics.Tests;

public class AgentRelationsTests
{
    [Fact]
    public void Relative_angles_follow_the_devkit_ahead_and_behind_rules()
    {
        var pose = new Pose(0, 0, 0);

        Assert.True(AgentRelations.IsAhead(pose, new Vector2(10, 5)));   // 26.6°
        Assert.False(AgentRelations.IsAhead(pose, new Vector2(10, 6.25))); // 32°
        Assert.True(AgentRelations.IsBehind(pose, new Vector2(-10, 5)));
        Assert.False(AgentRelations.IsBehind(pose, new Vector2(-10, 10))); // exactly 135°
        Assert.False(AgentRelations.IsAhead(pose, new Vector2(0, 0)));
        Assert.False(AgentRelations.IsBehind(pose, new Vector2(0, 0)));
    }
}
