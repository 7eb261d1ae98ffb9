using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Runs;

namespace NuPlanBus.Coordinator.Outputs;

/// <summary>One settled scenario of a run: what it was and its runner report.</summary>
public sealed record SettledScenario(ScenarioDescriptor Descriptor, RunnerReportRecord Report);

/// <summary>
/// Everything the run outputs are written from. A run saga yields one when it completes; a batch job's node 0 builds one
/// from every node's <see cref="RunRecord"/> part (<c>nodes/&lt;rank&gt;.json</c>).
/// </summary>
public sealed record RunRecord
{
    public required Guid RunId { get; init; }

    public required string RunName { get; init; }

    public required string OutputDirectory { get; init; }

    public required SimulationSpec Simulation { get; init; }

    public required DateTime StartedAt { get; init; }

    public required DateTime CompletedAt { get; init; }

    /// <summary>In the order the run accepted them.</summary>
    public required IReadOnlyList<SettledScenario> Scenarios { get; init; }

    public static RunRecord From(SimulationRunState run, DateTime completedAt) => new()
    {
        RunId = run.CorrelationId,
        RunName = run.RunName,
        OutputDirectory = run.OutputDirectory,
        Simulation = run.Simulation,
        StartedAt = run.StartedAt,
        CompletedAt = run.CompletedAt ?? completedAt,
        Scenarios = run.Scenarios.Values.Select(s => new SettledScenario(s.Descriptor, s.Report!)).ToList(),
    };

    /// <summary>The parts of a multi-node run joined in rank order: the earliest start, the latest completion.</summary>
    public static RunRecord Join(IReadOnlyList<RunRecord> parts, string outputDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        return parts[0] with
        {
            OutputDirectory = outputDirectory,
            StartedAt = parts.Min(p => p.StartedAt),
            CompletedAt = parts.Max(p => p.CompletedAt),
            Scenarios = parts.SelectMany(p => p.Scenarios).ToList(),
        };
    }
}
