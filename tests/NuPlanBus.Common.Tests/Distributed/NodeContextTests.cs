using NuPlanBus.Common.Distributed;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Tests.Distributed;

public class NodeContextTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Defaults_to_a_single_node()
    {
        var node = NodeContext.FromEnvironment(Env());
        Assert.Equal(NodeContext.Single, node);
        Assert.False(node.IsMultiNode);
    }

    [Fact]
    public void Reads_NUM_NODES_and_NODE_RANK()
    {
        var node = NodeContext.FromEnvironment(Env(("NUM_NODES", "4"), ("NODE_RANK", "3")));
        Assert.Equal(new NodeContext(4, 3), node);
        Assert.True(node.IsMultiNode);
    }

    [Fact]
    public void An_indexed_job_completion_index_is_the_rank_when_NODE_RANK_is_absent()
    {
        Assert.Equal(2, NodeContext.FromEnvironment(Env(("NUM_NODES", "3"), ("JOB_COMPLETION_INDEX", "2"))).NodeRank);
        Assert.Equal(1, NodeContext.FromEnvironment(Env(("NUM_NODES", "3"), ("NODE_RANK", "1"), ("JOB_COMPLETION_INDEX", "2"))).NodeRank);
        Assert.Equal(2, NodeContext.FromEnvironment(Env(("NUM_NODES", "3"), ("NODE_RANK", " "), ("JOB_COMPLETION_INDEX", "2"))).NodeRank);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-2", "0")]
    [InlineData("2", "2")]
    [InlineData("2", "-1")]
    [InlineData("two", "0")]
    [InlineData("2", "1.5")]
    public void Invalid_settings_are_configuration_errors(string numNodes, string rank)
    {
        Assert.Throws<ConfigurationException>(() => NodeContext.FromEnvironment(Env(("NUM_NODES", numNodes), ("NODE_RANK", rank))));
    }
}
