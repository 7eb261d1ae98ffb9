using NuPlanBus.Metrics.Fixtures;

namespace NuPlanBus.Metrics.Tests;

/// <summary>
/// Locates the devkit metric scenes without copying them: the repository is checked out with the shared
/// <c>shared/fixtures</c> tree beside it (or inside it), so walk up from the test binaries until one appears.
/// </summary>
internal static class Fixtures
{
    private const string ScenesRelativePath = "shared/fixtures/nuplan-metric-scenes";

    private static readonly Lazy<string> ScenesDirectory = new(Locate);

    public static MetricScene Load(string relativePath) => MetricSceneLoader.Load(Path.Combine(ScenesDirectory.Value, relativePath));

    /// <summary>Every scene file, as paths relative to the scenes directory with forward slashes.</summary>
    public static IReadOnlyList<string> AllScenes() =>
        Directory.GetFiles(ScenesDirectory.Value, "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(ScenesDirectory.Value, path).Replace('\\', '/'))
            .ToList();

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ScenesRelativePath);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"No '{ScenesRelativePath}' found above {AppContext.BaseDirectory}; check out the shared fixtures beside the repository.");
    }
}
