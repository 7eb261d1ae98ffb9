using System.Reflection;

namespace NuPlanBus.Architecture.Tests;

/// <summary>Pins the dependency rules of the design: they hold by construction only while these tests pass.</summary>
public class DependencyRulesTests
{
    private static IReadOnlyList<string> ReferencesOf(string assemblyName) =>
        Assembly.Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name!).ToList();

    [Fact]
    public void Contracts_depend_only_on_the_base_library_and_MassTransit_abstractions()
    {
        var references = ReferencesOf("NuPlanBus.Contracts");

        var foreign = references.Where(r => !r.StartsWith("System", StringComparison.Ordinal)
            && r is not "netstandard" and not "MassTransit.Abstractions").ToList();

        Assert.Empty(foreign);
    }

    [Theory]
    [InlineData("NuPlanBus.Domain")]
    [InlineData("NuPlanBus.Simulation")]
    [InlineData("NuPlanBus.Metrics")]
    [InlineData("NuPlanBus.Scenarios")]
    public void The_simulation_core_does_not_reference_the_bus(string assembly)
    {
        var references = ReferencesOf(assembly);

        Assert.DoesNotContain(references, r => r.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NuPlanBus.SimWorker")]
    [InlineData("NuPlanBus.MetricWorker")]
    [InlineData("NuPlanBus.StorageGateway")]
    public void Workers_do_not_reference_the_coordinator_and_its_sagas(string assembly)
    {
        var references = ReferencesOf(assembly);

        Assert.DoesNotContain("nuplanbus", references);
        Assert.DoesNotContain(references, r => r.Contains("Coordinator", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_message_contract_pins_its_wire_name()
    {
        var contracts = Assembly.Load("NuPlanBus.Contracts").GetExportedTypes()
            .Where(t => t.Namespace == "NuPlanBus.Contracts" && t.GetProperty("RunId") is not null || t.Name.StartsWith("CheckStorage", StringComparison.Ordinal) || t.Name.StartsWith("StoragePath", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(contracts);
        foreach (var type in contracts)
        {
            Assert.True(
                type.GetCustomAttributes().Any(a => a.GetType().Name == "MessageUrnAttribute"),
                $"{type.Name} has no [MessageUrn]");
        }
    }
}
