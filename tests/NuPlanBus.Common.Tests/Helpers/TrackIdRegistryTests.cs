using System.Collections.Concurrent;
using NuPlanBus.Common.Helpers;

namespace NuPlanBus.Common.Tests.Helpers;

public class TrackIdRegistryTests
{
    [Fact]
    public void Distinct_tokens_get_incremental_ids_and_known_tokens_keep_theirs()
    {
        var registry = new TrackIdRegistry();

        Assert.Equal(0, registry.GetId("scenario", "aa"));
        Assert.Equal(1, registry.GetId("scenario", "bb"));
        Assert.Equal(0, registry.GetId("scenario", "aa"));
        Assert.Equal(2, registry.GetId("scenario", "cc"));
    }

    [Fact]
    public void Scopes_are_numbered_independently()
    {
        var registry = new TrackIdRegistry();
        registry.GetId("a", "x");
        registry.GetId("a", "y");

        Assert.Equal(0, registry.GetId("b", "y"));
        Assert.Equal(1, registry.GetId("a", "y"));
    }

    [Fact]
    public void Reset_starts_a_scope_again_from_zero()
    {
        var registry = new TrackIdRegistry();
        registry.GetId("s", "x");
        registry.GetId("s", "y");

        Assert.True(registry.Reset("s"));
        Assert.Equal(0, registry.GetId("s", "y"));
        Assert.False(registry.Reset("never"));

        registry.Clear();
        Assert.Equal(0, registry.ScopeCount);
    }

    [Fact]
    public async Task Concurrent_callers_get_dense_unique_ids_and_agree_on_each_token()
    {
        const int tokens = 2000;
        const int workers = 16;
        var registry = new TrackIdRegistry();
        var seen = new ConcurrentBag<(string Token, int Id)>();
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(() =>
        {
            start.Wait();
            // Every worker asks for every token, each in its own order, to maximise contention.
            var order = Enumerable.Range(0, tokens).OrderBy(i => (i * 7919 + w * 104729) % tokens);
            foreach (var i in order)
            {
                seen.Add(($"token-{i}", registry.GetId("run", $"token-{i}")));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(tasks);

        var idsByToken = seen.GroupBy(s => s.Token).ToDictionary(g => g.Key, g => g.Select(s => s.Id).Distinct().ToArray());
        Assert.Equal(tokens, idsByToken.Count);
        Assert.All(idsByToken.Values, ids => Assert.Single(ids));
        Assert.Equal(Enumerable.Range(0, tokens), idsByToken.Values.Select(ids => ids[0]).Order());
        Assert.Equal(tokens, registry.Scope("run").Count);
    }
}
