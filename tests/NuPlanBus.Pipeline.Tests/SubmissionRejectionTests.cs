using NuPlanBus.Contracts;

namespace NuPlanBus.Pipeline.Tests;

public class SubmissionRejectionTests(SampleDatasetFixture dataset) : IClassFixture<SampleDatasetFixture>
{
    [Fact]
    public async Task A_missing_dataset_is_rejected_naming_the_path()
    {
        var missing = Path.Combine(dataset.Root, "no-such-dir");

        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(missing, dataset.NewOutputRoot()));

        Assert.Null(outcome.Completed);
        Assert.Contains("no-such-dir", outcome.Rejected!.Reason);
        Assert.Contains("no such file or directory", outcome.Rejected.Reason);
    }

    [Fact]
    public async Task A_file_that_is_not_SQLite_is_rejected_as_such()
    {
        var bogus = Path.Combine(dataset.Root, "bogus.db");
        await File.WriteAllTextAsync(bogus, "this is not a database, just text that is long enough to have a header");

        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(bogus, dataset.NewOutputRoot()));

        Assert.Contains("bogus.db", outcome.Rejected!.Reason);
        Assert.Contains("SQLite", outcome.Rejected.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_is_rejected()
    {
        var submission = EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot()) with
        {
            Filter = new ScenarioFilterSpec { ScenarioTypes = ["on_carpark"] },
        };

        var outcome = await EmbeddedRun.RunAsync(submission);

        Assert.Contains("No scenario", outcome.Rejected!.Reason);
    }

    [Theory]
    [InlineData("teleporting_planner", null, "Unknown")]
    [InlineData(null, "no_such_metric", "no_such_metric")]
    public async Task Unknown_components_are_rejected_with_the_known_names(string? planner, string? metric, string expected)
    {
        var spec = new SimulationSpec
        {
            Planner = planner ?? "simple_planner",
            Metrics = metric is null ? ["default"] : [metric],
        };

        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot(), spec));

        Assert.Contains(expected, outcome.Rejected!.Reason);
        Assert.Contains(planner is null ? "ego_jerk" : "simple_planner", outcome.Rejected.Reason);
    }

    [Fact]
    public async Task A_partition_size_of_zero_is_rejected()
    {
        var submission = EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot()) with { PartitionSize = 0 };

        var outcome = await EmbeddedRun.RunAsync(submission);

        Assert.Contains("Partition size", outcome.Rejected!.Reason);
    }
}
