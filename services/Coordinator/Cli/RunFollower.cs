using MassTransit;
using NuPlanBus.Contracts;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>How a followed run ended.</summary>
public sealed record RunOutcome(SimulationRunCompleted? Completed, SimulationRunRejected? Rejected);

/// <summary>
/// Follows one run over the bus from a temporary endpoint: works the same in-process and against RabbitMQ,
/// so <c>simulate</c>, <c>submit --wait</c> and <c>watch</c> share it.
/// </summary>
public static class RunFollower
{
    public static async Task<RunOutcome> FollowAsync(
        IBus bus,
        Guid runId,
        Func<Task> start,
        IRunProgress progress,
        CancellationToken cancellationToken)
    {
        var outcome = new TaskCompletionSource<RunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<SimulationRunAccepted>(ctx =>
            {
                if (ctx.Message.RunId == runId)
                {
                    progress.Accepted(ctx.Message);
                }
                return Task.CompletedTask;
            });
            endpoint.Handler<SimulationRunProgressed>(ctx =>
            {
                if (ctx.Message.RunId == runId)
                {
                    progress.Progressed(ctx.Message);
                }
                return Task.CompletedTask;
            });
            endpoint.Handler<SimulationRunCompleted>(ctx =>
            {
                if (ctx.Message.RunId == runId)
                {
                    outcome.TrySetResult(new RunOutcome(ctx.Message, null));
                }
                return Task.CompletedTask;
            });
            endpoint.Handler<SimulationRunRejected>(ctx =>
            {
                if (ctx.Message.RunId == runId)
                {
                    outcome.TrySetResult(new RunOutcome(null, ctx.Message));
                }
                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(cancellationToken);
            await start();
            return await outcome.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }
    }
}

/// <summary>Receives a run's progress as it happens.</summary>
public interface IRunProgress
{
    void Accepted(SimulationRunAccepted accepted);

    void Progressed(SimulationRunProgressed progressed);
}
