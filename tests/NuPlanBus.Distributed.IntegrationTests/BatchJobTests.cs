using Amazon.S3;
using Amazon.S3.Model;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.IntegrationTests;
using NuPlanBus.Common.Storage;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;
using NuPlanBus.Testing;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary>
/// <c>nuplanbus batch</c>, each node its own OS process as in a Kubernetes Indexed Job: the nodes split the scenarios
/// with the multi-node filter, meet at a file-backed barrier (a shared directory or an S3 prefix on a real S3 API), and
/// node 0 joins every node's part into one run.
/// </summary>
public sealed class BatchJobTests : IClassFixture<MotoServer>, IDisposable
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(4);
    private readonly MotoServer _moto;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nuplanbus-batch-tests", Guid.NewGuid().ToString("N")[..12]);

    public BatchJobTests(MotoServer moto)
    {
        _moto = moto;
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp directory's own cleanup.
        }
    }

    private string Dataset(int logs, int seed)
    {
        var directory = Path.Combine(_root, "data");
        if (!Directory.Exists(directory))
        {
            SampleDataset.Generate(directory, logs, seed);
        }
        return directory;
    }

    private Task<Processes.Result[]> RunNodesAsync(int nodes, string jobId, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, IEnumerable<int>? ranks = null) =>
        Task.WhenAll((ranks ?? Enumerable.Range(0, nodes)).Select(rank =>
        {
            var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
            {
                ["NUM_NODES"] = nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Kubernetes sets only the completion index on the pods of an Indexed Job.
                ["JOB_COMPLETION_INDEX"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["NUPLAN_JOB_ID"] = jobId,
            };
            return Processes.RunAsync(
                "dotnet",
                [ServicePaths.Assembly("coordinator"), "batch", .. args, "--work-dir", Path.Combine(_root, "work", jobId, rank.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                NodeTimeout,
                variables);
        }));

    private static IReadOnlyList<string> ExpectedScenarioNames(string dataset) =>
        ScenarioCatalog.Build(ScenarioCatalog.DiscoverLogs(dataset), new ScenarioFilter { ScenarioTypes = ScenarioTypes.All })
            .Select(s => $"{s.LogName}/{s.Token}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<IReadOnlyList<string>> ReportedScenarioNames(string runnerReport) =>
        (await RunnerReportParquet.ReadAsync(runnerReport)).Select(r => $"{r.LogName}/{r.ScenarioName}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Three_scenario_based_nodes_on_a_shared_directory_simulate_every_scenario_exactly_once_and_node_0_joins_the_run()
    {
        var dataset = Dataset(logs: 4, seed: 31);
        var output = Path.Combine(_root, "out");

        var results = await RunNodesAsync(3, "three-nodes", ["--dataset", dataset, "--output", output, "--sync-path", Path.Combine(_root, "sync")]);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        var run = Path.Combine(output, "three-nodes");
        var expected = ExpectedScenarioNames(dataset);
        Assert.Equal(expected, await ReportedScenarioNames(RunLayout.RunnerReport(run)));
        // Every node wrote its own report (the devkit's nodes overwrote one file); together they are the run, without overlap.
        var perNode = new List<string>();
        for (var rank = 0; rank < 3; rank++)
        {
            var own = await ReportedScenarioNames(RunLayout.NodeRunnerReport(run, rank));
            Assert.InRange(own.Count, expected.Count / 3 - 1, expected.Count / 3 + 1);
            perNode.AddRange(own);
        }
        Assert.Equal(expected, perNode.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, MetricResultFilesCount(run));
        var summary = await ReadSummaryAsync(run);
        Assert.Equal(expected.Count, summary.Scenarios);
        Assert.NotNull(summary.Score?.Final);
        Assert.Equal(NuPlanScore.Complete, summary.Score!.ScoreKind);
        Assert.Contains("CLS-NR score", results[0].Output);
        Assert.Contains("node 0 writes the run outputs", results[1].Output);
        // Each node logs to its own files in the shared run directory.
        Assert.True(File.Exists(RunLayout.ComponentLog(run, "simworker-node2")));
        // The token files are gone once every node read them.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "sync", "tokens"), "*.csv", SearchOption.AllDirectories));

        // The same scenarios in one process score the same, scenario by scenario.
        var single = await Processes.RunAsync(
            "dotnet", [ServicePaths.Assembly("coordinator"), "simulate", "--dataset", dataset, "--output", output, "--name", "single"], NodeTimeout);
        Assert.True(single.ExitCode == 0, single.Output);
        var reference = await ReadSummaryAsync(Path.Combine(output, "single"));
        Assert.Equal(reference.Score!.PerScenario, summary.Score!.PerScenario);
        Assert.Equal(reference.Score.Final, summary.Score.Final);
    }

    [Fact]
    public async Task Log_file_based_nodes_read_the_dataset_from_S3_meet_on_S3_and_write_the_run_to_S3()
    {
        var dataset = Dataset(logs: 3, seed: 32);
        var bucket = await _moto.CreateBucketAsync("batch-" + Guid.NewGuid().ToString("N")[..12]);
        using var client = S3Storage.CreateClient(_moto.Options());
        foreach (var log in Directory.GetFiles(dataset, "*.db"))
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "logs/" + Path.GetFileName(log), FilePath = log });
        }
        var environment = new Dictionary<string, string>
        {
            ["Storage__S3__ServiceUrl"] = _moto.Url,
            ["Storage__S3__ForcePathStyle"] = "true",
            ["Storage__S3__Region"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        };

        var results = await RunNodesAsync(
            2,
            "on-s3",
            ["--dataset", $"s3://{bucket}/logs", "--output", $"s3://{bucket}/runs", "--sync-path", $"s3://{bucket}/sync", "--distributed-mode", "LOG_FILE_BASED", "--metrics", "dynamics"],
            environment);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        var local = Path.Combine(_root, "fetched");
        foreach (var key in new[] { RunLayout.RunnerReportFile, RunLayout.SummaryFile, "runner_report_0.parquet", "runner_report_1.parquet" })
        {
            using var response = await client.GetObjectAsync(bucket, "runs/on-s3/" + key);
            await response.WriteResponseStreamToFileAsync(Path.Combine(local, key), append: false, CancellationToken.None);
        }
        var expected = ExpectedScenarioNames(dataset);
        Assert.Equal(expected, await ReportedScenarioNames(Path.Combine(local, RunLayout.RunnerReportFile)));
        // Log-file based: node 0 takes the first two logs, node 1 the third.
        var logs = Directory.GetFiles(dataset, "*.db").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.All(await ReportedScenarioNames(Path.Combine(local, "runner_report_1.parquet")), name => Assert.StartsWith(logs[2] + "/", name));
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "runs/on-s3/metrics/scenarios/" });
        Assert.Equal(expected.Count, listed.S3Objects.Count);
        var metricTables = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "runs/on-s3/metrics/ego_jerk" });
        Assert.Single(metricTables.S3Objects);
    }

    [Fact]
    public async Task A_node_that_never_arrives_fails_the_others_with_a_timeout_naming_it()
    {
        var dataset = Dataset(logs: 2, seed: 33);

        var results = await RunNodesAsync(
            2, "missing-node",
            ["--dataset", dataset, "--output", Path.Combine(_root, "out"), "--sync-path", Path.Combine(_root, "sync"), "--barrier-timeout", "3", "--metrics", "none"],
            ranks: [0]);

        var result = Assert.Single(results);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("barrier_token_1", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task Several_nodes_without_a_shared_job_id_are_refused_before_any_work()
    {
        var result = await Processes.RunAsync(
            "dotnet",
            [ServicePaths.Assembly("coordinator"), "batch", "--dataset", Dataset(logs: 1, seed: 34), "--sync-path", Path.Combine(_root, "sync")],
            NodeTimeout,
            new Dictionary<string, string> { ["NUM_NODES"] = "2", ["NODE_RANK"] = "1", ["NUPLAN_JOB_ID"] = "" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("NUPLAN_JOB_ID", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task A_job_whose_run_already_finished_is_not_run_again_into_the_same_directory()
    {
        var dataset = Dataset(logs: 1, seed: 35);
        string[] args = ["--dataset", dataset, "--output", Path.Combine(_root, "out"), "--sync-path", Path.Combine(_root, "sync"), "--metrics", "none", "--limit", "2"];
        var first = await RunNodesAsync(1, "once", args);
        Assert.True(first[0].ExitCode == 0, first[0].Output);

        var second = await RunNodesAsync(1, "once", args);

        Assert.Equal(2, second[0].ExitCode);
        Assert.Contains("already finished", second[0].Output);
    }

    private static int MetricResultFilesCount(string run) =>
        Directory.GetFiles(Path.Combine(RunLayout.MetricsDirectory(run), "scenarios"), "*.json").Length;

    private static async Task<RunSummary> ReadSummaryAsync(string run) =>
        System.Text.Json.JsonSerializer.Deserialize<RunSummary>(await File.ReadAllTextAsync(RunLayout.Summary(run)), RunOutputWriter.JsonOptions)!;
}
