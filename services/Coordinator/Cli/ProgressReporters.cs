using System.Diagnostics;
using NuPlanBus.Contracts;
using Spectre.Console;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>Done, failed, rate and ETA of a run, computed the same way for every display.</summary>
public sealed class ProgressFigures
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Expected { get; private set; }

    public int Settled { get; private set; }

    public int Failed { get; private set; }

    public void Update(int expected, int settled, int failed)
    {
        Expected = expected;
        Settled = Math.Max(Settled, settled);
        Failed = Math.Max(Failed, failed);
    }

    public double Rate => Settled / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);

    public TimeSpan? Eta => Settled == 0 || Rate <= 0 ? null : TimeSpan.FromSeconds((Expected - Settled) / Rate);

    public override string ToString() =>
        $"{Settled}/{Expected} done, {Failed} failed, {Rate:0.0} scenarios/s, ETA {(Eta is { } eta ? $"{eta.TotalSeconds:0}s" : "–")}";
}

/// <summary>A live progress bar on an interactive terminal.</summary>
public sealed class LiveProgress(ProgressTask task, ProgressFigures figures) : IRunProgress
{
    public void Accepted(SimulationRunAccepted accepted)
    {
        figures.Update(accepted.Scenarios.Count, 0, 0);
        task.MaxValue = Math.Max(1, accepted.Scenarios.Count);
        task.Description = Describe();
    }

    public void Progressed(SimulationRunProgressed progressed)
    {
        figures.Update(progressed.Expected, progressed.Settled, progressed.Failed);
        task.MaxValue = Math.Max(1, progressed.Expected);
        task.Value = figures.Settled;
        task.Description = Describe();
    }

    private string Describe() =>
        $"[green]{figures.Settled - figures.Failed} ok[/] [red]{figures.Failed} failed[/] of {figures.Expected} · {figures.Rate:0.0}/s";
}

/// <summary>Plain progress lines when the output is not a terminal (CI logs, pipes): at most one every two seconds.</summary>
public sealed class LineProgress(TextWriter output, ProgressFigures figures) : IRunProgress
{
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private readonly object _gate = new();

    public void Accepted(SimulationRunAccepted accepted)
    {
        figures.Update(accepted.Scenarios.Count, 0, 0);
        lock (_gate)
        {
            output.WriteLine($"Run {accepted.RunName} accepted: {accepted.Scenarios.Count} scenarios → {accepted.OutputDirectory}");
        }
    }

    public void Progressed(SimulationRunProgressed progressed)
    {
        figures.Update(progressed.Expected, progressed.Settled, progressed.Failed);
        lock (_gate)
        {
            if (_sinceLast.Elapsed >= TimeSpan.FromSeconds(2) || progressed.Settled == progressed.Expected)
            {
                output.WriteLine($"progress: {figures}");
                _sinceLast.Restart();
            }
        }
    }
}
