using System.Text;
using MassTransit;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Cli;
using NuPlanBus.Metrics.Output;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;
using RabbitMQ.Client;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary>
/// The services as separate OS processes over a real RabbitMQ with a persistent saga store: the same results as
/// the embedded mode, surviving a killed SimWorker and a restarted Coordinator, and dead-lettering poison messages.
/// </summary>
[Collection(nameof(BrokerCollection))]
public class DistributedRunTests(BrokerFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private static SubmitSimulationRun Submission(string dataset, string output, string name, int partitionSize = 2) => new()
    {
        RunId = NewId.NextGuid(),
        RunName = name,
        DatasetLocation = dataset,
        OutputRoot = output,
        PartitionSize = partitionSize,
        Filter = new ScenarioFilterSpec { ScenarioTypes = ScenarioTypes.All },
        // The closed-loop set with the dataset's own map, as the embedded simulate picks it from beside the logs.
        Simulation = new SimulationSpec
        {
            Metrics = ["closed_loop_nonreactive_agents"],
            Maps = new MapSpec { Root = SampleDataset.MapsDirectory(dataset) },
        },
    };

    private static string Dataset(Deployment deployment, int seed)
    {
        var directory = Path.Combine(deployment.Root, "data");
        SampleDataset.Generate(directory, logCount: 1, seed: seed);
        return directory;
    }

    [Fact]
    public async Task Separate_processes_over_RabbitMQ_give_the_same_reports_and_metrics_as_the_embedded_run()
    {
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "same");
        var dataset = Dataset(deployment, seed: 21);
        await deployment.StartAllAsync();
        var answers = await PingCommand.PingAsync(deployment.Bus, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.Equal(
            ["coordinator", "metric-worker", "sim-worker", "sim-worker", "storage-gateway"],
            answers.Select(a => a.Service).Order(StringComparer.Ordinal));
        Assert.Equal(5, answers.Select(a => a.ProcessId).Distinct().Count());

        var distributed = await deployment.RunAsync(
            Submission(dataset, Path.Combine(deployment.Root, "distributed"), "run"), new Progress(), RunTimeout);
        Assert.True(distributed.Completed is not null, deployment.ConsoleLogs());
        var a = distributed.Completed!;
        // The embedded mode of the same scenarios, through the command line in its own process.
        var embeddedRoot = Path.Combine(deployment.Root, "embedded");
        var cli = await NuPlanBus.Testing.Processes.RunAsync(
            "dotnet",
            [ServicePaths.Assembly("coordinator"), "simulate", "--dataset", dataset, "--output", embeddedRoot, "--name", "run", "--partition-size", "2"],
            TimeSpan.FromMinutes(4));
        Assert.True(cli.ExitCode == 0, cli.Output);
        var embeddedDirectory = Path.Combine(embeddedRoot, "run");

        var embeddedReports = await ReadReportsAsync(embeddedDirectory);
        var distributedReports = await ReadReportsAsync(a.OutputDirectory);
        Assert.Equal(embeddedReports.Count, a.Expected);
        Assert.Equal(a.Expected, a.Succeeded);
        Assert.Equal(
            embeddedReports.Select(r => (r.ScenarioName, r.LogName, r.PlannerName, r.Succeeded)).Order(),
            distributedReports.Select(r => (r.ScenarioName, r.LogName, r.PlannerName, r.Succeeded)).Order());
        var distributedMetrics = MetricFiles(a.OutputDirectory);
        var embeddedMetrics = MetricFiles(embeddedDirectory);
        Assert.Equal(embeddedMetrics.Keys.Order(), distributedMetrics.Keys.Order());
        Assert.Equal(a.Expected, distributedMetrics.Count);
        foreach (var (name, content) in embeddedMetrics)
        {
            Assert.Equal(content, distributedMetrics[name]);
        }
        Assert.True(File.Exists(RunLayout.RunnerReport(a.OutputDirectory)));
    }

    [Fact]
    public async Task A_SimWorker_killed_mid_run_still_gives_every_scenario_exactly_once()
    {
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "kill-worker", TimeSpan.FromSeconds(20));
        var dataset = Dataset(deployment, seed: 22);
        await deployment.StartAllAsync();
        var victim = deployment.Processes.Single(p => p.Name == "sim-worker-1");
        var progress = new Progress(onSettled: async settled =>
        {
            if (settled >= 2 && !victim.HasExited)
            {
                await victim.KillAsync();
            }
        });

        var outcome = await deployment.RunAsync(Submission(dataset, Path.Combine(deployment.Root, "out"), "run", partitionSize: 3), progress, RunTimeout);

        Assert.True(outcome.Completed is not null, deployment.ConsoleLogs());
        Assert.True(victim.HasExited);
        var completed = outcome.Completed!;
        Assert.Equal(completed.Expected, completed.Succeeded + completed.Failed);
        var reports = await ReadReportsAsync(completed.OutputDirectory);
        Assert.Equal(completed.Expected, reports.Count);
        Assert.Equal(reports.Count, reports.Select(r => r.ScenarioName).Distinct().Count());
        Assert.All(reports, r => Assert.True(r.Succeeded, r.ErrorMessage));
    }

    [Fact]
    public async Task A_Coordinator_killed_and_restarted_mid_run_completes_the_run_from_the_persisted_saga()
    {
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "restart");
        var dataset = Dataset(deployment, seed: 23);
        await deployment.StartAllAsync();
        var coordinator = deployment.Processes.Single(p => p.Name == "coordinator");
        var restarted = 0;
        var progress = new Progress(onSettled: async settled =>
        {
            if (settled >= 2 && Interlocked.Exchange(ref restarted, 1) == 0)
            {
                await coordinator.KillAsync();
                await Task.Delay(TimeSpan.FromSeconds(2));
                await deployment.WaitUntilConnectedAsync(deployment.Start("coordinator", "coordinator-restarted"));
            }
        });

        var outcome = await deployment.RunAsync(Submission(dataset, Path.Combine(deployment.Root, "out"), "run"), progress, RunTimeout);

        Assert.True(outcome.Completed is not null, deployment.ConsoleLogs());
        Assert.Equal(1, restarted);
        var completed = outcome.Completed!;
        Assert.Equal(completed.Expected, completed.Succeeded);
        var reports = await ReadReportsAsync(completed.OutputDirectory);
        Assert.Equal(completed.Expected, reports.Select(r => r.ScenarioName).Distinct().Count());
    }

    [Fact]
    public async Task A_malformed_message_ends_in_the_error_queue_with_a_reason_and_the_run_goes_on()
    {
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "poison");
        var dataset = Dataset(deployment, seed: 24);
        await deployment.StartAllAsync();
        var factory = new ConnectionFactory
        {
            HostName = fixture.Broker.Endpoint.Host,
            Port = fixture.Broker.Endpoint.Port,
            VirtualHost = deployment.VirtualHost,
            UserName = fixture.Broker.Endpoint.Username,
            Password = fixture.Broker.Endpoint.Password,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // Let the SimWorker declare its queue before we send to it.
        await WaitForQueueAsync(deployment.VirtualHost, "simulate-scenario-partition");
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("", "simulate-scenario-partition", false, properties, Encoding.UTF8.GetBytes("{ this is not a message"));

        var outcome = await deployment.RunAsync(Submission(dataset, Path.Combine(deployment.Root, "out"), "run"), new Progress(), RunTimeout);

        Assert.True(outcome.Completed is not null, deployment.ConsoleLogs());
        Assert.Equal(outcome.Completed!.Expected, outcome.Completed.Succeeded);
        var dead = await channel.BasicGetAsync("simulate-scenario-partition_error", autoAck: true);
        Assert.NotNull(dead);
        var headers = dead!.BasicProperties.Headers!;
        Assert.True(headers.ContainsKey("MT-Reason") || headers.ContainsKey("MT-Fault-Message"), string.Join(", ", headers.Keys));
        var reason = headers.TryGetValue("MT-Fault-Message", out var fault) ? fault : headers["MT-Reason"];
        Assert.False(string.IsNullOrWhiteSpace(Encoding.UTF8.GetString((byte[])reason!)));
    }

    private async Task WaitForQueueAsync(string virtualHost, string queue)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var queues = await fixture.Broker.ListQueuesAsync(virtualHost);
            if (queues.Any(q => q.Queue == queue))
            {
                return;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"Queue {queue} was never declared in {virtualHost}.");
    }

    private static Dictionary<string, string> MetricFiles(string runDirectory) =>
        MetricResultFiles.ListScenarioFiles(RunLayout.MetricsDirectory(runDirectory))
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f), StringComparer.Ordinal);

    private static Task<IReadOnlyList<NuPlanBus.Coordinator.Outputs.RunnerReportParquet.Row>> ReadReportsAsync(string runDirectory) =>
        NuPlanBus.Coordinator.Outputs.RunnerReportParquet.ReadAsync(RunLayout.RunnerReport(runDirectory));

    private sealed class Progress(Func<int, Task>? onSettled = null) : IRunProgress
    {
        public void Accepted(SimulationRunAccepted accepted)
        {
        }

        public void Progressed(SimulationRunProgressed progressed)
        {
            if (onSettled is not null)
            {
                // Off the bus thread: killing a process takes a moment.
                _ = Task.Run(() => onSettled(progressed.Settled));
            }
        }
    }
}
