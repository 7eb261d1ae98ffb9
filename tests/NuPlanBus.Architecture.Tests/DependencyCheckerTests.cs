namespace NuPlanBus.Architecture.Tests;

/// <summary>
/// Each rule broken once on purpose: a graph that is the table plus one wrong reference must be reported as exactly
/// that violation, so a rule that silently stops biting fails here.
/// </summary>
public class DependencyCheckerTests
{
    private static readonly IReadOnlyList<Part> Table = PartTable.Parts;

    private static DependencyGraph Good => Table.AllowedGraph();

    private static IReadOnlyList<Violation> Check(DependencyGraph graph) => DependencyChecker.Check(Table, graph);

    [Fact]
    public void The_table_graph_has_no_violation()
    {
        Assert.Empty(Check(Good));
    }

    [Fact]
    public void A_project_missing_from_the_table_is_reported()
    {
        Assert.Equal([new Violation(Rules.NotInTable, "Planning", "")], Check(Good.With("Planning", "Domain")));
    }

    [Fact]
    public void A_table_part_without_a_project_is_reported()
    {
        var graph = new DependencyGraph(Good.References.Where(p => p.Key != "TensorMath").ToDictionary());

        Assert.Equal([new Violation(Rules.MissingProject, "TensorMath", "")], Check(graph));
    }

    [Theory]
    [InlineData("Contracts", "Domain")]
    [InlineData("Domain", "Common")]
    [InlineData("Domain", "NuPlanBus.Testing")]
    public void Contracts_and_Domain_referencing_something_of_ours_is_reported(string part, string reference)
    {
        Assert.Equal([new Violation(Rules.Standalone, part, reference)], Check(Good.With(part, reference)));
    }

    [Fact]
    public void Contracts_taking_a_package_beyond_the_base_library_and_the_attribute_package_is_reported()
    {
        var graph = Good.With("Contracts", "System.Runtime").With("Contracts", "MassTransit.Abstractions").With("Contracts", "Newtonsoft.Json");

        Assert.Equal([new Violation(Rules.Standalone, "Contracts", "Newtonsoft.Json")], Check(graph));
    }

    [Fact]
    public void A_library_referencing_a_service_is_reported()
    {
        Assert.Equal([new Violation(Rules.LibraryOnService, "Hosting", "Coordinator")], Check(Good.With("Hosting", "Coordinator")));
    }

    [Theory]
    [InlineData("SimWorker", "MetricWorker")]
    [InlineData("MetricWorker", "Coordinator")]
    [InlineData("StorageGateway", "Coordination")]
    [InlineData("SimWorker", "Persistence")]
    public void A_worker_referencing_another_worker_or_the_orchestration_is_reported(string worker, string reference)
    {
        Assert.Equal([new Violation(Rules.WorkerIsolation, worker, reference)], Check(Good.With(worker, reference)));
    }

    [Fact]
    public void A_part_without_embedded_host_files_referencing_a_worker_is_reported()
    {
        var table = Table.Select(p => p.Name == "Coordinator" ? p with { EmbeddedHostFiles = [] } : p).ToList();

        Assert.Equal(
            [
                new Violation(Rules.EmbeddedHostOnly, "Coordinator", "MetricWorker"),
                new Violation(Rules.EmbeddedHostOnly, "Coordinator", "SimWorker"),
                new Violation(Rules.EmbeddedHostOnly, "Coordinator", "StorageGateway"),
            ],
            DependencyChecker.Check(table, Good));
    }

    [Fact]
    public void A_coordinator_file_other_than_the_embedded_host_using_a_worker_namespace_is_reported()
    {
        var sources = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>>
        {
            ["Coordinator"] = new Dictionary<string, IReadOnlySet<string>>
            {
                ["EmbeddedHost.cs"] = new HashSet<string> { "SimWorker", "MetricWorker", "StorageGateway", "Hosting" },
                ["Runs/SimulationRunStateMachine.cs"] = new HashSet<string> { "Contracts", "SimWorker" },
            },
            ["SimWorker"] = new Dictionary<string, IReadOnlySet<string>> { ["Program.cs"] = new HashSet<string> { "SimWorker", "Hosting" } },
        };

        Assert.Equal(
            [new Violation(Rules.EmbeddedHostOnly, "Coordinator", "SimWorker", "Runs/SimulationRunStateMachine.cs")],
            DependencyChecker.CheckSources(Table, sources));
    }

    [Theory]
    [InlineData("Domain", "MassTransit")]
    [InlineData("Simulation", "MassTransit.Abstractions")]
    [InlineData("Metrics", "MassTransit")]
    [InlineData("Scenarios", "MassTransit.RabbitMQ")]
    [InlineData("TensorMath", "MassTransit")]
    public void The_simulation_core_referencing_the_bus_is_reported(string part, string reference)
    {
        // Domain is also standalone: any foreign package breaks that rule first.
        var rule = part == "Domain" ? Rules.Standalone : Rules.CoreWithoutBus;

        Assert.Equal([new Violation(rule, part, reference)], Check(Good.With(part, reference)));
    }

    [Fact]
    public void A_reference_that_breaks_no_rule_but_is_not_in_the_table_is_reported()
    {
        Assert.Equal([new Violation(Rules.NotAllowed, "Metrics", "Scenarios")], Check(Good.With("Metrics", "Scenarios")));
    }

    [Fact]
    public void A_reference_to_an_unknown_project_of_ours_is_reported()
    {
        Assert.Equal([new Violation(Rules.NotAllowed, "SimWorker", "NuPlanBus.Testing")], Check(Good.With("SimWorker", "NuPlanBus.Testing")));
    }

    [Fact]
    public void A_table_allowance_no_project_takes_is_reported()
    {
        Assert.Equal([new Violation(Rules.UnusedAllowance, "StorageGateway", "Domain")], Check(Good.Without("StorageGateway", "Domain")));
    }

    [Fact]
    public void A_declared_reference_that_is_not_compiled_in_is_reported()
    {
        var compiled = Good.Without("MetricWorker", "Domain");

        Assert.Equal(
            [new Violation(Rules.UnusedReference, "MetricWorker", "Domain")],
            DependencyChecker.CheckDirectReferences(Table, Good, compiled, compiled));
    }

    [Fact]
    public void A_part_compiled_against_but_reached_only_transitively_is_reported()
    {
        Assert.Equal(
            [new Violation(Rules.IndirectReference, "SimWorker", "Domain")],
            DependencyChecker.CheckDirectReferences(Table, Good.Without("SimWorker", "Domain"), Good, Good.Without("SimWorker", "Domain")));
    }

    [Fact]
    public void A_namespace_used_in_the_sources_but_reached_only_transitively_is_reported()
    {
        var declared = Good.Without("StorageGateway", "Common");

        Assert.Equal(
            [new Violation(Rules.IndirectReference, "StorageGateway", "Common")],
            DependencyChecker.CheckDirectReferences(Table, declared, declared, Good));
    }
}
