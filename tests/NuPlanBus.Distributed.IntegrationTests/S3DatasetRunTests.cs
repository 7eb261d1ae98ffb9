using Amazon.S3.Model;
using MassTransit;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.IntegrationTests;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Cli;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary>
/// The services as separate processes over RabbitMQ with the dataset on S3 (moto), as on Kubernetes: the Coordinator
/// enumerates the logs from its cache, each SimWorker downloads the logs it needs into its own.
/// </summary>
[Collection(nameof(BrokerCollection))]
public class S3DatasetRunTests(BrokerFixture fixture, MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task A_run_over_a_dataset_on_S3_simulates_every_scenario_of_its_logs()
    {
        var bucket = await moto.CreateBucketAsync("dataset-" + Guid.NewGuid().ToString("N")[..12]);
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "s3-dataset", extraEnvironment: new Dictionary<string, string>
        {
            ["Storage__S3__ServiceUrl"] = moto.Url,
            ["Storage__S3__ForcePathStyle"] = "true",
            ["Storage__S3__Region"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        });
        var local = Path.Combine(deployment.Root, "data");
        SampleDataset.Generate(local, logCount: 2, seed: 51);
        using var client = S3Storage.CreateClient(moto.Options());
        foreach (var log in Directory.GetFiles(local, "*.db"))
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "nuplan/mini/" + Path.GetFileName(log), FilePath = log });
        }
        await deployment.StartAllAsync();
        var submission = new SubmitSimulationRun
        {
            RunId = NewId.NextGuid(),
            RunName = "from-s3",
            DatasetLocation = $"s3://{bucket}/nuplan/mini",
            OutputRoot = Path.Combine(deployment.Root, "runs"),
            PartitionSize = 3,
            Filter = new ScenarioFilterSpec { ScenarioTypes = ScenarioTypes.All },
            Simulation = new SimulationSpec { Metrics = ["default"] },
        };

        var outcome = await deployment.RunAsync(submission, new NoProgress(), TimeSpan.FromMinutes(4));

        Assert.True(outcome.Completed is not null, outcome.Rejected?.Reason ?? deployment.ConsoleLogs());
        var expected = ScenarioCatalog.BuildFromDirectory(local, new ScenarioFilter { ScenarioTypes = ScenarioTypes.All })
            .Select(s => (s.LogName, s.Token)).Order().ToList();
        Assert.Equal(expected.Count, outcome.Completed.Succeeded);
        var rows = await RunnerReportParquet.ReadAsync(RunLayout.RunnerReport(outcome.Completed.OutputDirectory));
        Assert.Equal(expected, rows.Select(r => (r.LogName, r.ScenarioName)).Order());
        // Each log was downloaded into the cache under its own name (its log name), once per version.
        var cached = Directory.GetFiles(Path.Combine(deployment.Root, "log-cache"), "*.db", SearchOption.AllDirectories).Select(Path.GetFileName).Distinct();
        Assert.Equal(Directory.GetFiles(local, "*.db").Select(Path.GetFileName).Order(), cached.Order());
    }

    [Fact]
    public async Task A_missing_bucket_is_a_rejection_naming_it()
    {
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "s3-missing", extraEnvironment: new Dictionary<string, string>
        {
            ["Storage__S3__ServiceUrl"] = moto.Url,
            ["Storage__S3__ForcePathStyle"] = "true",
            ["Storage__S3__Region"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        });
        deployment.Start("coordinator");
        await deployment.WaitUntilConnectedAsync(deployment.Processes[0]);

        var outcome = await deployment.RunAsync(
            new SubmitSimulationRun
            {
                RunId = NewId.NextGuid(),
                RunName = "nowhere",
                DatasetLocation = "s3://no-such-bucket-here/nuplan",
                OutputRoot = Path.Combine(deployment.Root, "runs"),
            },
            new NoProgress(),
            TimeSpan.FromMinutes(2));

        Assert.NotNull(outcome.Rejected);
        Assert.Contains("no-such-bucket-here", outcome.Rejected.Reason);
    }

    private sealed class NoProgress : IRunProgress
    {
        public void Accepted(SimulationRunAccepted accepted)
        {
        }

        public void Progressed(SimulationRunProgressed progressed)
        {
        }
    }
}
