using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Hosting.Logging;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>
/// The last step of a run: writes the run outputs from the saga's settled state, then announces completion.
/// The outputs depend only on persisted state, so a redelivered completion rewrites the same files.
/// </summary>
public sealed class CompleteRunActivity<TMessage>(RunOutputWriter writer, NuPlanBusMetrics metrics, ILogger<CompleteRunActivity<TMessage>> logger)
    : IStateMachineActivity<SimulationRunState, TMessage>
    where TMessage : class
{
    public void Probe(ProbeContext context) => context.CreateScope("complete-run");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);

    public async Task Execute(BehaviorContext<SimulationRunState, TMessage> context, IBehavior<SimulationRunState, TMessage> next)
    {
        await Complete(context);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<SimulationRunState, TMessage, TException> context, IBehavior<SimulationRunState, TMessage> next)
        where TException : Exception => next.Faulted(context);

    private async Task Complete(BehaviorContext<SimulationRunState> context)
    {
        var saga = context.Saga;
        using var scope = logger.BeginRunScope(saga.CorrelationId, saga.OutputDirectory);
        saga.CompletedAt = DateTime.UtcNow;
        await writer.WriteAsync(saga, context.CancellationToken);
        metrics.RunFinished(saga.RunName);
        logger.LogInformation(
            "Run {RunName} completed: {Succeeded} succeeded, {Failed} failed of {Expected}",
            saga.RunName, saga.SucceededCount, saga.FailedCount, saga.Expected);
        await context.Publish(new SimulationRunCompleted
        {
            RunId = saga.CorrelationId,
            RunName = saga.RunName,
            OutputDirectory = saga.OutputDirectory,
            Expected = saga.Expected,
            Succeeded = saga.SucceededCount,
            Failed = saga.FailedCount,
            StartedAt = saga.StartedAt,
            CompletedAt = saga.CompletedAt.Value,
        });
    }
}
