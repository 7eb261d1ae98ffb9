using NuPlanBus.Domain.Errors;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Scenarios.Tests;

public sealed class DatasetFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public DatasetFixture()
    {
        Paths = SampleDataset.Generate(_directory.Path, 2, seed: 3);
        // A non-log file in the directory must be ignored by discovery.
        File.WriteAllText(_directory.File("readme.txt"), "not a log");
    }

    public string Directory => _directory.Path;

    public IReadOnlyList<string> Paths { get; }

    public void Dispose() => _directory.Dispose();
}

public sealed class ScenarioCatalogTests(DatasetFixture data) : IClassFixture<DatasetFixture>
{
    private static readonly ScenarioFilter Typed = new() { ScenarioTypes = ScenarioTypes.All };

    [Fact]
    public void A_directory_builds_from_its_db_files_in_sorted_order_and_the_result_is_sorted_by_token()
    {
        Assert.Equal(data.Paths, ScenarioCatalog.DiscoverLogs(data.Directory));
        var scenarios = ScenarioCatalog.BuildFromDirectory(data.Directory, Typed);

        Assert.True(scenarios.Count >= 30);
        Assert.Equal(scenarios.Select(s => s.Token).Order(StringComparer.Ordinal), scenarios.Select(s => s.Token));
        Assert.Equal(scenarios.Count, scenarios.Select(s => s.ScenarioId).Distinct().Count());
        Assert.All(scenarios, s => Assert.NotEqual(ScenarioTypes.Unknown, s.ScenarioType));
    }

    [Fact]
    public void The_per_type_cap_equisamples_each_type()
    {
        var all = ScenarioCatalog.Build(data.Paths, Typed);
        var capped = ScenarioCatalog.Build(data.Paths, Typed with { NumScenariosPerType = 1 });

        var types = all.Select(s => s.ScenarioType).Distinct().ToList();
        Assert.Equal(types.Count, capped.Count);
        Assert.All(capped.GroupBy(s => s.ScenarioType), g => Assert.Single(g));
        // Equisampling starts at the first scenario of the type in log/timestamp order.
        foreach (var scenario in capped)
        {
            var first = all.Where(s => s.ScenarioType == scenario.ScenarioType)
                .OrderBy(s => s.LogPath, StringComparer.Ordinal).ThenBy(s => s.TimestampUs).First();
            Assert.Equal(first, scenario);
        }
    }

    [Fact]
    public void Equisampling_takes_every_floor_n_over_k_th_item_then_truncates()
    {
        var items = Enumerable.Range(0, 10).ToList();
        Assert.Equal([0, 3, 6], ScenarioCatalog.Equisample(items, 3));
        Assert.Equal([0, 2, 4, 6], ScenarioCatalog.Equisample(items, 4));
        Assert.Equal(items, ScenarioCatalog.Equisample(items, 20));
    }

    [Fact]
    public void A_total_limit_count_keeps_that_many_and_a_fraction_keeps_the_ceiling()
    {
        var all = ScenarioCatalog.Build(data.Paths, Typed);

        Assert.Equal(7, ScenarioCatalog.Build(data.Paths, Typed with { LimitTotalScenarios = 7 }).Count);
        Assert.Equal((int)Math.Ceiling(0.25 * all.Count), ScenarioCatalog.Build(data.Paths, Typed with { LimitTotalScenarios = 0.25 }).Count);
        Assert.Equal(all.Count, ScenarioCatalog.Build(data.Paths, Typed with { LimitTotalScenarios = 100_000 }).Count);
    }

    [Fact]
    public void A_total_limit_removes_unknown_scenarios_before_typed_ones()
    {
        var filter = new ScenarioFilter { LogNames = [Path.GetFileNameWithoutExtension(data.Paths[0])] };
        var everything = ScenarioCatalog.Build(data.Paths, filter);
        var typed = everything.Where(s => s.ScenarioType != ScenarioTypes.Unknown).ToList();
        Assert.True(everything.Count > 1000);

        var limited = ScenarioCatalog.Build(data.Paths, filter with { LimitTotalScenarios = typed.Count + 5 });
        Assert.Equal(typed.Count + 5, limited.Count);
        Assert.All(typed, t => Assert.Contains(t, limited));

        var onlyTyped = ScenarioCatalog.Build(data.Paths, filter with { LimitTotalScenarios = typed.Count - 2 });
        Assert.Equal(typed.Count - 2, onlyTyped.Count);
        Assert.DoesNotContain(onlyTyped, s => s.ScenarioType == ScenarioTypes.Unknown);
    }

    [Fact]
    public void A_timestamp_threshold_keeps_anchors_of_a_type_at_least_that_far_apart()
    {
        var filter = Typed with { LogNames = [Path.GetFileNameWithoutExtension(data.Paths[0])] };
        var spaced = ScenarioCatalog.Build(data.Paths, filter with { TimestampThresholdS = 60 });
        foreach (var group in spaced.GroupBy(s => s.ScenarioType))
        {
            var times = group.Select(s => s.TimestampUs).Order().ToList();
            for (var i = 1; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - 1] >= 60_000_000);
            }
        }
        Assert.True(spaced.Count <= ScenarioCatalog.Build(data.Paths, filter).Count);
    }

    [Fact]
    public void Token_and_log_name_filters_select_exactly_and_log_names_apply_before_opening_files()
    {
        var target = ScenarioCatalog.Build(data.Paths, Typed)[3];
        using var junk = new TempDirectory();
        var garbage = junk.File("garbage.db");
        File.WriteAllText(garbage, "garbage");

        var found = ScenarioCatalog.Build(
            [.. data.Paths, garbage],
            new ScenarioFilter { ScenarioTokens = [target.Token.ToUpperInvariant()], LogNames = [target.LogName] });

        Assert.Equal(target, Assert.Single(found));
        Assert.Throws<ScenarioDataException>(() => ScenarioCatalog.Build([.. data.Paths, garbage], Typed));
    }

    [Fact]
    public void Shuffling_is_seeded()
    {
        var a = ScenarioCatalog.Build(data.Paths, Typed with { Shuffle = true, Seed = 4, NumScenariosPerType = 2 });
        var b = ScenarioCatalog.Build(data.Paths, Typed with { Shuffle = true, Seed = 4, NumScenariosPerType = 2 });
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789abcdeg")]
    [InlineData("0123456789abcdef0")]
    public void Malformed_tokens_are_a_configuration_error(string token)
    {
        var error = Assert.Throws<ConfigurationException>(
            () => ScenarioCatalog.Build(data.Paths, new ScenarioFilter { ScenarioTokens = [token] }));
        Assert.Contains(token, error.Message);
    }

    [Theory]
    [InlineData(0, null, null)]
    [InlineData(-1, null, null)]
    [InlineData(null, 0.0, null)]
    [InlineData(null, -3.0, null)]
    [InlineData(null, 1.5, null)]
    [InlineData(null, null, -1.0)]
    public void Negative_or_meaningless_counts_are_a_configuration_error(int? perType, double? limit, double? threshold)
    {
        var filter = new ScenarioFilter { NumScenariosPerType = perType, LimitTotalScenarios = limit, TimestampThresholdS = threshold };
        Assert.Throws<ConfigurationException>(() => ScenarioCatalog.Build(data.Paths, filter));
    }
}
