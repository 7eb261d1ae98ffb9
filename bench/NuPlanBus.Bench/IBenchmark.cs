namespace NuPlanBus.Bench;

/// <summary>One measured workload. Add a benchmark by implementing this and listing it in <see cref="Benchmarks.All"/>.</summary>
public interface IBenchmark
{
    /// <summary>The group selected on the command line: <c>sim</c>, <c>metrics</c>, …</summary>
    string Group { get; }

    string Name { get; }

    BenchmarkResult Run(BenchmarkSettings settings);
}

public sealed record BenchmarkSettings(int Scenarios, int WarmupScenarios, int Seed);

/// <summary>
/// What a benchmark measured: work items (scenarios) over wall time on one thread, the process CPU time meanwhile
/// (less sensitive to a loaded machine than wall time: time the thread waited for a core does not count), and
/// managed allocations.
/// </summary>
public sealed record BenchmarkResult(string Name, int Items, TimeSpan Elapsed, TimeSpan CpuTime, long AllocatedBytes, IReadOnlyList<string> Notes)
{
    /// <summary>What one item is, for the printed rates: scenario, barrier wait, token.</summary>
    public string Unit { get; init; } = "scenario";

    public string Units => Unit.EndsWith('y') ? Unit[..^1] + "ies" : Unit + "s";

    public double ItemsPerSecond => Items / Elapsed.TotalSeconds;

    public double ItemsPerCpuSecond => Items / CpuTime.TotalSeconds;

    public double MillisecondsPerItem => Elapsed.TotalMilliseconds / Items;

    public double AllocatedBytesPerItem => (double)AllocatedBytes / Items;
}
