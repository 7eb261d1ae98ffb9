namespace NuPlanBus.Architecture.Tests;

/// <summary>Where a part lives: libraries under shared/, deployable services under services/.</summary>
public enum PartKind
{
    Library,
    Service,
}

/// <summary>What a part is to the rules; a part may have several roles.</summary>
[Flags]
public enum PartRoles
{
    None = 0,

    /// <summary>References nothing of ours, so every other part can take it without pulling anything along.</summary>
    Standalone = 1,

    /// <summary>The simulation core: runs the same in a test, a benchmark or a service, so it knows nothing of the bus.</summary>
    SimulationCore = 2,

    /// <summary>A service that consumes work messages and can be scaled on its own.</summary>
    Worker = 4,

    /// <summary>The run's orchestration (coordinator, its sagas, their store): what a worker must never reach into.</summary>
    Orchestration = 8,
}

/// <summary>One project of the repository and the parts of ours it may reference directly.</summary>
/// <param name="AllowedExternal">For a standalone part, the assemblies or packages beyond the base library it may take.</param>
/// <param name="EmbeddedHostFiles">
/// Source files (relative to the project folder) that compose workers into this process; only they may use the
/// workers' namespaces, so referencing a worker is hosting it and never borrowing its code.
/// </param>
public sealed record Part(
    string Name,
    PartKind Kind,
    PartRoles Roles,
    IReadOnlyList<string> Allowed,
    IReadOnlyList<string>? AllowedExternal = null,
    IReadOnlyList<string>? EmbeddedHostFiles = null)
{
    public IReadOnlyList<string> AllowedExternal { get; init; } = AllowedExternal ?? [];

    public IReadOnlyList<string> EmbeddedHostFiles { get; init; } = EmbeddedHostFiles ?? [];

    public bool Is(PartRoles role) => (Roles & role) == role;
}

/// <summary>
/// The declared dependency table. Each Allowed list is exactly what the part references directly today: services
/// reference every library whose namespaces they use instead of reaching it through Hosting, so the list reads as
/// what the part needs. Changing a project's references means changing its line here, and the checker makes sure
/// the new line still obeys the rules.
/// </summary>
public static class PartTable
{
    public static IReadOnlyList<Part> Parts { get; } =
    [
        new("Domain", PartKind.Library, PartRoles.Standalone | PartRoles.SimulationCore, []),
        // [MessageUrn] is MassTransit's attribute; the abstractions package holds no behaviour.
        new("Contracts", PartKind.Library, PartRoles.Standalone, [], AllowedExternal: ["MassTransit.Abstractions"]),
        new("Common", PartKind.Library, PartRoles.None, ["Domain"]),
        new("Hosting", PartKind.Library, PartRoles.None, ["Common", "Contracts", "Domain", "Scenarios"]),
        new("Persistence", PartKind.Library, PartRoles.Orchestration, []),
        new("Coordination", PartKind.Library, PartRoles.Orchestration, ["Common", "Contracts", "Hosting", "Persistence"]),
        new("Maps", PartKind.Library, PartRoles.SimulationCore, ["Domain"]),
        new("Scenarios", PartKind.Library, PartRoles.SimulationCore, ["Domain", "Maps"]),
        new("Simulation", PartKind.Library, PartRoles.SimulationCore, ["Domain", "Maps"]),
        new("Metrics", PartKind.Library, PartRoles.SimulationCore, ["Domain", "Maps"]),
        new("TensorMath", PartKind.Library, PartRoles.SimulationCore, ["Domain"]),
        new("Coordinator", PartKind.Service, PartRoles.Orchestration,
            ["Common", "Contracts", "Coordination", "Domain", "Hosting", "Maps", "Metrics", "Persistence", "Scenarios", "Simulation",
             "SimWorker", "MetricWorker", "StorageGateway"],
            EmbeddedHostFiles: ["EmbeddedHost.cs"]),
        new("SimWorker", PartKind.Service, PartRoles.Worker, ["Common", "Contracts", "Domain", "Hosting", "Maps", "Scenarios", "Simulation"]),
        new("MetricWorker", PartKind.Service, PartRoles.Worker, ["Common", "Contracts", "Domain", "Hosting", "Maps", "Metrics", "Simulation"]),
        new("StorageGateway", PartKind.Service, PartRoles.Worker, ["Common", "Contracts", "Domain", "Hosting"]),
    ];

    /// <summary>The table read as a graph, so the rules can be checked on the table itself.</summary>
    public static DependencyGraph AllowedGraph(this IReadOnlyList<Part> parts) =>
        new(parts.ToDictionary(p => p.Name, p => (IReadOnlySet<string>)p.Allowed.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));
}
