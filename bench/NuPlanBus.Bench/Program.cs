using System.Diagnostics;
using System.Globalization;
using NuPlanBus.Bench;

// dotnet run -c Release --project bench/NuPlanBus.Bench -- [sim|metrics|all] [--scenarios N] [--warmup N] [--seed N] [--only TEXT]
var group = "all";
string? only = null;
var settings = new BenchmarkSettings(Scenarios: 200, WarmupScenarios: 20, Seed: 1);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--scenarios":
            settings = settings with { Scenarios = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--warmup":
            settings = settings with { WarmupScenarios = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--only":
            only = args[++i];
            break;
        case "--seed":
            settings = settings with { Seed = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        default:
            group = args[i];
            break;
    }
}

var selected = Benchmarks.All
    .Where(b => (group == "all" || b.Group == group) && (only is null || b.Name.Contains(only, StringComparison.Ordinal)))
    .ToList();
if (selected.Count == 0)
{
    Console.WriteLine($"No benchmarks in group '{group}' yet. Groups: {string.Join(", ", Benchmarks.All.Select(b => b.Group).Distinct())}, all.");
    return 1;
}

Console.WriteLine(
    $".NET {Environment.Version}, {Environment.ProcessorCount} logical cores, server GC {System.Runtime.GCSettings.IsServerGC}, " +
    $"{settings.Scenarios} scenarios after {settings.WarmupScenarios} warm-up, single thread (rates are per core). " +
    "Figures move with machine load: compare runs taken on the same idle machine.");
foreach (var benchmark in selected)
{
    var result = benchmark.Run(settings);
    Console.WriteLine(
        $"{result.Name,-78} {result.ItemsPerSecond,7:F1} {result.Units}/s/core (wall)  {result.ItemsPerCpuSecond,7:F1} per CPU-s  " +
        $"{result.MillisecondsPerItem,7:F2} ms/{result.Unit}  " +
        $"{result.AllocatedBytesPerItem / (1024 * 1024),7:F2} MiB allocated/{result.Unit}");
    foreach (var note in result.Notes)
    {
        Console.WriteLine($"    {note}");
    }
}
using var process = Process.GetCurrentProcess();
process.Refresh();
Console.WriteLine($"Peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F1} MiB");
return 0;
