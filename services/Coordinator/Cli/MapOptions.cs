using System.CommandLine;
using NuPlanBus.Contracts;
using NuPlanBus.Maps;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>Where a run's maps are: the options shared by <c>simulate</c>, <c>submit</c>, <c>batch</c> and <c>metrics</c>.</summary>
public sealed class MapOptions
{
    public Option<string?> Root { get; } = new("--maps-root")
    {
        Description = "The nuPlan maps root (nuplan-maps-v1.0.json and <location>/<version>/map.gpkg). Default: a maps directory beside the logs (the generated sample has one), else $NUPLAN_MAPS_ROOT.",
    };

    public Option<string?> Version { get; } = new("--map-version")
    {
        Description = "The map version file in the maps root, without .json. Default: $NUPLAN_MAP_VERSION, else nuplan-maps-v1.0.",
    };

    public Option<bool> AllowMissing { get; } = new("--allow-missing-maps")
    {
        Description = "Score scenarios whose map is not under the maps root without the map metrics (a partial score) instead of rejecting the run.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Root);
        command.Options.Add(Version);
        command.Options.Add(AllowMissing);
    }

    /// <summary>
    /// --maps-root, else <paramref name="defaultRoot"/>, else $NUPLAN_MAPS_ROOT; null (a run without maps, scored
    /// partially) when none is given.
    /// </summary>
    public MapSpec? Build(ParseResult parse, string? defaultRoot = null)
    {
        var root = new[] { parse.GetValue(Root), defaultRoot, Environment.GetEnvironmentVariable(MapsRoot.RootVariable) }
            .FirstOrDefault(r => !string.IsNullOrWhiteSpace(r));
        if (root is null)
        {
            return null;
        }
        var version = new[] { parse.GetValue(Version), Environment.GetEnvironmentVariable(MapsRoot.VersionVariable) }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? MapsRoot.DefaultVersion;
        return new MapSpec { Root = SubmissionOptions.FullPathUnlessUri(root), Version = version, AllowMissing = parse.GetValue(AllowMissing) };
    }

    /// <summary>The <c>maps</c> directory beside a local dataset directory when it holds a map version file, else null.</summary>
    public static string? BesideLogs(string dataset)
    {
        if (dataset.StartsWith("s3:", StringComparison.Ordinal) || !Directory.Exists(dataset))
        {
            return null;
        }
        var candidate = Path.Combine(dataset, "maps");
        return Directory.Exists(candidate) && Directory.GetFiles(candidate, "*.json").Length > 0 ? candidate : null;
    }
}
