using MassTransit;
using NuPlanBus.Contracts;
using NuPlanBus.Observability.IntegrationTests;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;
using NuPlanBus.Testing;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary>
/// A real Prometheus scrapes the SimWorkers' /metrics during a short distributed run, and its query API returns
/// the number of scenarios the run simulated.
/// </summary>
[Collection(nameof(BrokerCollection))]
public class PrometheusRoundTripTests(BrokerFixture fixture)
{
    [Fact]
    public async Task Prometheus_reads_back_the_scenarios_a_run_simulated()
    {
        await using var deployment = await Deployment.CreateAsync(fixture.Broker, "prometheus");
        var dataset = Path.Combine(deployment.Root, "data");
        SampleDataset.Generate(dataset, logCount: 1, seed: 31);
        var ports = new[] { RabbitMqBroker.FreePort(), RabbitMqBroker.FreePort() };
        foreach (var service in new[] { "coordinator", "metric-worker" })
        {
            await deployment.WaitUntilConnectedAsync(deployment.Start(service));
        }
        for (var i = 0; i < ports.Length; i++)
        {
            await deployment.WaitUntilConnectedAsync(deployment.Start("sim-worker", $"sim-worker-{i + 1}", new Dictionary<string, string>
            {
                ["Management__Enabled"] = "true",
                ["Management__Host"] = "127.0.0.1",
                ["Management__Port"] = ports[i].ToString(),
            }));
        }
        await using var prometheus = await PrometheusServer.StartAsync(ports.Select(p => new Uri($"http://127.0.0.1:{p}/metrics")));

        var submission = new SubmitSimulationRun
        {
            RunId = NewId.NextGuid(),
            RunName = "observed",
            DatasetLocation = dataset,
            OutputRoot = Path.Combine(deployment.Root, "out"),
            PartitionSize = 2,
            Filter = new ScenarioFilterSpec { ScenarioTypes = ScenarioTypes.All, LimitTotalScenarios = 6 },
            Simulation = new SimulationSpec { Metrics = ["dynamics"] },
        };
        var outcome = await deployment.RunAsync(submission, new NoProgress(), TimeSpan.FromMinutes(3));

        Assert.True(outcome.Completed is not null, deployment.ConsoleLogs());
        var expected = outcome.Completed!.Expected;
        var value = await prometheus.WaitForValueAsync(
            "sum(nuplanbus_scenarios_simulated_total{outcome=\"succeeded\"})", v => v == expected, TimeSpan.FromSeconds(60));
        Assert.Equal(expected, value);
    }

    private sealed class NoProgress : NuPlanBus.Coordinator.Cli.IRunProgress
    {
        public void Accepted(SimulationRunAccepted accepted)
        {
        }

        public void Progressed(SimulationRunProgressed progressed)
        {
        }
    }
}
