using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Registries;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Simulation.Components;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>Checks a submission against what this deployment can run, before any work is scheduled.</summary>
public sealed class SubmissionValidator(
    NamedRegistry<IPlannerFactory> planners,
    NamedRegistry<IEgoControllerFactory> controllers,
    NamedRegistry<IObservationFactory> observations,
    IMetricNameValidator metrics)
{
    public void Validate(SubmitSimulationRun message)
    {
        RunNames.Validate(message.RunName);
        if (message.PartitionSize < 1)
        {
            throw new ConfigurationException($"Partition size must be at least 1 (got {message.PartitionSize}).");
        }
        ValidateOutputRoot(message.OutputRoot);
        var spec = message.Simulation;
        planners.Get(spec.Planner);
        controllers.Get(spec.Controller);
        observations.Get(spec.Observation);
        metrics.Validate(spec.Metrics);
        if (spec.Metrics.Count > 0 && !spec.WriteSimulationLog)
        {
            throw new ConfigurationException("Metrics are computed from simulation logs: they cannot be requested without writing them.");
        }
    }

    public void Validate(SubmitMetricRun message)
    {
        RunNames.Validate(message.RunName);
        if (message.PartitionSize < 1)
        {
            throw new ConfigurationException($"Partition size must be at least 1 (got {message.PartitionSize}).");
        }
        ValidateOutputRoot(message.OutputRoot);
        if (message.Metrics.Count == 0)
        {
            throw new ConfigurationException("A metric run needs at least one metric or metric set.");
        }
        metrics.Validate(message.Metrics);
    }

    /// <summary>
    /// A submitted run's directory is written by several services, so it must be a file system they all mount; an S3
    /// output is what the batch verb is for.
    /// </summary>
    public static void ValidateOutputRoot(string outputRoot)
    {
        if (string.IsNullOrWhiteSpace(outputRoot))
        {
            throw new ConfigurationException("No output location given.");
        }
        if (outputRoot.StartsWith("s3:", StringComparison.Ordinal))
        {
            throw new ConfigurationException(
                $"Output '{outputRoot}': a submitted run is written by several services into one directory, so its output root must be a " +
                "directory they all mount (on Kubernetes the chart's runsVolume). The batch verb writes runs to S3.");
        }
    }
}

/// <summary>Resolves metric and metric-set names; an unknown name is a <see cref="ConfigurationException"/>.</summary>
public interface IMetricNameValidator
{
    void Validate(IReadOnlyList<string> names);
}
