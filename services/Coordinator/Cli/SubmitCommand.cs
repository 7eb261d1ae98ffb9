using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Logging;
using NuPlanBus.Hosting.Messaging;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>
/// <c>submit</c> and <c>watch</c>: talk to a running deployment over its broker (configured like the services:
/// Bus__Transport=RabbitMq, Bus__RabbitMq__Host, …, or an appsettings.json in the working directory).
/// Paths in a submission are read by the services, so they must be valid where the services run.
/// </summary>
public static class SubmitCommand
{
    public static Command CreateSubmit()
    {
        var run = new SubmissionOptions();
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the run's progress until it completes." };
        var command = new Command("submit", "Publish a SubmitSimulationRun to a running deployment and print the run id (with --wait, follow it to the end).");
        run.AddTo(command);
        command.Options.Add(wait);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dataset = parse.GetValue(run.Dataset)
                ?? throw new NuPlanBus.Domain.Errors.ConfigurationException("submit needs --dataset: a location the services can read.");
            var submission = run.Build(parse, dataset);
            await using var client = await BusClient.StartAsync(cancellationToken);
            if (!parse.GetValue(wait))
            {
                await client.Bus.Publish(submission, cancellationToken);
                Console.WriteLine(submission.RunId);
                return RunReport.Success;
            }
            Console.WriteLine($"Run id: {submission.RunId}");
            var outcome = await ProgressDisplay.FollowAsync(
                client.Bus, submission.RunId, submission.RunName, () => client.Bus.Publish(submission, cancellationToken), cancellationToken);
            return RunReport.Print(outcome, submission.Simulation.ExitOnFailure);
        });
        return command;
    }

    public static Command CreateWatch()
    {
        var runId = new Argument<Guid>("run-id") { Description = "The run id printed by submit." };
        var command = new Command("watch", "Follow a submitted run's progress until it completes.") { runId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(runId);
            await using var client = await BusClient.StartAsync(cancellationToken);
            var status = await client.StatusAsync(id, cancellationToken);
            switch (status.Status)
            {
                case "unknown":
                    Console.Error.WriteLine($"error: the Coordinator knows no run {id}");
                    return RunReport.BadInput;
                case "completed":
                    return RunReport.Print(new RunOutcome(ToCompleted(status), null), failOnScenarioFailure: false);
            }
            var outcome = await ProgressDisplay.FollowAsync(client.Bus, id, status.RunName ?? id.ToString(), async () =>
            {
                // Ask again after subscribing: a run that completed in between is not missed.
                var again = await client.StatusAsync(id, cancellationToken);
                if (again.Status == "completed")
                {
                    await client.Bus.Publish(ToCompleted(again), cancellationToken);
                }
            }, cancellationToken);
            return RunReport.Print(outcome, failOnScenarioFailure: false);
        });
        return command;
    }

    private static SimulationRunCompleted ToCompleted(RunStatusReported status) => new()
    {
        RunId = status.RunId,
        RunName = status.RunName ?? "",
        OutputDirectory = status.OutputDirectory ?? "",
        Expected = status.Expected,
        Succeeded = status.Succeeded,
        Failed = status.Failed,
        StartedAt = status.StartedAt ?? default,
        CompletedAt = status.CompletedAt ?? default,
    };
}

/// <summary>A bus-only host for command-line clients of a deployment.</summary>
public sealed class BusClient : IAsyncDisposable
{
    private readonly IHost _host;

    private BusClient(IHost host)
    {
        _host = host;
        Bus = host.Services.GetRequiredService<IBus>();
    }

    public IBus Bus { get; }

    public static async Task<BusClient> StartAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Services.AddNuPlanBusLogging(new LoggingSetup { ConsoleLevel = Serilog.Events.LogEventLevel.Warning });
        builder.Services.AddNuPlanBus(builder.Configuration);
        var host = builder.Build();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await host.StartAsync(startTimeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new NuPlanBus.Domain.Errors.ConfigurationException("Could not connect to the message broker within 30 s: check Bus__RabbitMq__Host, Port and credentials.");
        }
        return new BusClient(host);
    }

    public async Task<RunStatusReported> StatusAsync(Guid runId, CancellationToken cancellationToken)
    {
        var client = Bus.CreateRequestClient<GetRunStatus>(RequestTimeout.After(s: 15));
        try
        {
            var response = await client.GetResponse<RunStatusReported>(new GetRunStatus { RunId = runId }, cancellationToken);
            return response.Message;
        }
        catch (RequestTimeoutException)
        {
            throw new NuPlanBus.Domain.Errors.UserInputException("No Coordinator answered within 15 s: is the Coordinator running on this broker?");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
