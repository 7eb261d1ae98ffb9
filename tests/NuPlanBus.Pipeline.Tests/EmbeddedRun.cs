using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator;
using NuPlanBus.Coordinator.Cli;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>A generated dataset shared by the tests of a class (generation is deterministic, so sharing is safe).</summary>
public sealed class SampleDatasetFixture : IDisposable
{
    public SampleDatasetFixture()
    {
        Root = Directory.CreateTempSubdirectory("nuplanbus-pipeline-").FullName;
        DatasetDirectory = Path.Combine(Root, "data");
        Logs = SampleDataset.Generate(DatasetDirectory, logCount: 1, seed: 7);
        Scenarios = ScenarioCatalog.Build(Logs, new ScenarioFilter { ScenarioTypes = ScenarioTypes.All });
    }

    public string Root { get; }

    public string DatasetDirectory { get; }

    public IReadOnlyList<string> Logs { get; }

    public IReadOnlyList<ScenarioReference> Scenarios { get; }

    public string NewOutputRoot() => Directory.CreateTempSubdirectory("nuplanbus-runs-").FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>Runs one submission through the real embedded host (all four services, in-memory bus) and waits for its end.</summary>
public static class EmbeddedRun
{
    public static SubmitSimulationRun Submission(string dataset, string outputRoot, SimulationSpec? spec = null, string name = "run") => new()
    {
        RunId = NewId.NextGuid(),
        RunName = name,
        DatasetLocation = dataset,
        OutputRoot = outputRoot,
        PartitionSize = 3,
        Filter = new ScenarioFilterSpec { ScenarioTypes = ScenarioTypes.All },
        Simulation = spec ?? new SimulationSpec(),
    };

    public static async Task<RunOutcome> RunAsync(
        SubmitSimulationRun submission,
        Action<IServiceCollection>? configure = null,
        RecordingProgress? progress = null)
    {
        var builder = EmbeddedHost.CreateBuilder(new EmbeddedSettings { SimWorkers = 2, MetricWorkers = 2 });
        configure?.Invoke(builder.Services);
        builder.Services.AddNuPlanBus(builder.Configuration);
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await host.StartAsync(timeout.Token);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            return await RunFollower.FollowAsync(
                bus, submission.RunId, () => bus.Publish(submission, timeout.Token), progress ?? new RecordingProgress(), timeout.Token);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}

public sealed class RecordingProgress : IRunProgress
{
    private readonly List<SimulationRunProgressed> _updates = [];

    public SimulationRunAccepted? Accepted { get; private set; }

    public IReadOnlyList<SimulationRunProgressed> Updates
    {
        get
        {
            lock (_updates)
            {
                return _updates.ToList();
            }
        }
    }

    void IRunProgress.Accepted(SimulationRunAccepted accepted) => Accepted = accepted;

    void IRunProgress.Progressed(SimulationRunProgressed progressed)
    {
        lock (_updates)
        {
            _updates.Add(progressed);
        }
    }
}
