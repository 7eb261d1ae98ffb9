using System.Text.Json;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Maps;

/// <summary>
/// The devkit's map layout (docs/nuplan-maps.md §1.1): a root holding the map version file
/// <c>&lt;version&gt;.json</c> (default <c>nuplan-maps-v1.0.json</c>) that gives each location's map version, and
/// <c>&lt;location&gt;/&lt;map version&gt;/map.gpkg</c>. The root defaults to <c>$NUPLAN_MAPS_ROOT</c> and the version
/// to <c>$NUPLAN_MAP_VERSION</c>, as for nuPlan users. Unlike the devkit, opening a location needs only that
/// location's file (not all four cities) and never writes into the root.
/// </summary>
public sealed class MapsRoot
{
    public const string RootVariable = "NUPLAN_MAPS_ROOT";
    public const string VersionVariable = "NUPLAN_MAP_VERSION";
    public const string DefaultVersion = "nuplan-maps-v1.0";
    public const string MapFileName = "map.gpkg";

    private readonly Lazy<IReadOnlyDictionary<string, string>> _versions;

    public MapsRoot(string root, string? mapVersion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        MapVersion = string.IsNullOrWhiteSpace(mapVersion) ? DefaultVersion : mapVersion;
        _versions = new Lazy<IReadOnlyDictionary<string, string>>(ReadVersions);
    }

    public string Root { get; }

    /// <summary>The map version set, e.g. <c>nuplan-maps-v1.0</c>: the version file's name without <c>.json</c>.</summary>
    public string MapVersion { get; }

    public string VersionFile => Path.Combine(Root, MapVersion + ".json");

    /// <summary>The root named by <c>$NUPLAN_MAPS_ROOT</c> (and <c>$NUPLAN_MAP_VERSION</c>), or null when it is unset.</summary>
    public static MapsRoot? FromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable(RootVariable);
        return string.IsNullOrWhiteSpace(root) ? null : new MapsRoot(root, Environment.GetEnvironmentVariable(VersionVariable));
    }

    /// <summary>The locations the version file lists, with their map versions.</summary>
    public IReadOnlyDictionary<string, string> Locations => _versions.Value;

    /// <summary>
    /// The GeoPackage of a location (<c>log.map_version</c>; a legacy trailing <c>.gpkg</c> is dropped). A location the
    /// version file does not list, or whose file is absent, is a <see cref="MapDataException"/> naming the map and
    /// the paths searched.
    /// </summary>
    public string Resolve(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var name = Normalise(location);
        if (FileOf(name) is not { } path)
        {
            throw new MapDataException(VersionFile,
                $"map '{name}' is not listed (listed: {(Locations.Count == 0 ? "none" : string.Join(", ", Locations.Keys.Order(StringComparer.Ordinal)))}).");
        }
        return File.Exists(path) ? path
            : throw new MapDataException(path, $"map '{name}' version {_versions.Value[name]} is listed in {VersionFile} but its file is missing.");
    }

    /// <summary>Whether <see cref="Resolve"/> would find the location's file.</summary>
    public bool Has(string location) => FileOf(Normalise(location)) is { } path && File.Exists(path);

    /// <summary>Where the version file puts a location's GeoPackage; null when it does not list the location.</summary>
    private string? FileOf(string name) =>
        _versions.Value.TryGetValue(name, out var version) ? Path.Combine(Root, name, version, MapFileName) : null;

    public static string Normalise(string location) =>
        location.EndsWith(".gpkg", StringComparison.Ordinal) ? location[..^".gpkg".Length] : location;

    public override string ToString() => $"{Root} ({MapVersion})";

    private IReadOnlyDictionary<string, string> ReadVersions()
    {
        if (!Directory.Exists(Root))
        {
            throw new MapDataException(Root, "the maps root does not exist (set --maps-root or NUPLAN_MAPS_ROOT).");
        }
        if (!File.Exists(VersionFile))
        {
            throw new MapDataException(VersionFile, $"the map version file is missing (the root must hold {MapVersion}.json).");
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(VersionFile));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MapDataException(VersionFile, "the map version file is not a JSON object keyed by location.");
            }
            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var location in document.RootElement.EnumerateObject())
            {
                if (location.Value.ValueKind != JsonValueKind.Object
                    || !location.Value.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
                {
                    throw new MapDataException(VersionFile, $"location '{location.Name}' has no \"version\" string.");
                }
                versions[location.Name] = version.GetString()!;
            }
            return versions;
        }
        catch (JsonException e)
        {
            throw new MapDataException(VersionFile, $"the map version file is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Writes a version file listing <paramref name="versions"/> (location → map version), for generated maps.</summary>
    public static void WriteVersionFile(string path, IReadOnlyDictionary<string, string> versions)
    {
        var document = versions.OrderBy(v => v.Key, StringComparer.Ordinal)
            .ToDictionary(v => v.Key, v => new Dictionary<string, object> { ["version"] = v.Value, ["layers"] = new Dictionary<string, object>() });
        Domain.IO.AtomicFile.Write(path, temporary =>
            File.WriteAllText(temporary, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true })));
    }
}
