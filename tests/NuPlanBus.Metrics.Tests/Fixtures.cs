using NuPlanBus.Metrics.Tests.Scenes;

namespace NuPlanBus.Metrics.Tests;

/// <summary>
/// The devkit metric scenes, copied into this project (<c>Scenes/nuplan-metric-scenes</c>, with their Apache-2.0
/// notice) and beside the test binaries by the build, so the tests need nothing outside the repository.
/// </summary>
internal static class Fixtures
{
    private static readonly string ScenesDirectory = Path.Combine(AppContext.BaseDirectory, "Scenes", "nuplan-metric-scenes");

    public static MetricScene Load(string relativePath) => MetricSceneLoader.Load(Path.Combine(ScenesDirectory, relativePath));

    /// <summary>Every scene file, as paths relative to the scenes directory with forward slashes.</summary>
    public static IReadOnlyList<string> AllScenes() =>
        Directory.GetFiles(ScenesDirectory, "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(ScenesDirectory, path).Replace('\\', '/'))
            .ToList();
}
