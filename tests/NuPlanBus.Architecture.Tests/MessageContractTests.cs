using System.Reflection;
using System.Text.RegularExpressions;
using NuPlanBus.Contracts;

namespace NuPlanBus.Architecture.Tests;

/// <summary>
/// Pins the wire names of the messages: MassTransit would otherwise derive them from the CLR names, so renaming or
/// moving a record would silently split producers and consumers of different versions.
/// </summary>
public partial class MessageContractTests
{
    /// <summary>
    /// Records that travel only inside messages and are never published, sent or requested on their own; a type the
    /// bus sees as a message must not be listed here.
    /// </summary>
    private static readonly IReadOnlySet<Type> NestedValueTypes = new HashSet<Type>
    {
        typeof(SimulationSpec),
        typeof(ScenarioFilterSpec),
        typeof(MapSpec),
        typeof(ScenarioDescriptor),
        typeof(RunnerReportRecord),
    };

    private static readonly IReadOnlyList<Type> Exported = typeof(SubmitSimulationRun).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == "NuPlanBus.Contracts" && !t.IsNested)
        .ToList();

    // Static classes (abstract and sealed in metadata) hold constants such as RunKinds, never a message.
    private static bool IsStatic(Type type) => type.IsAbstract && type.IsSealed;

    /// <summary>Every exported concrete class of the namespace that is not a listed nested value type.</summary>
    public static IReadOnlyList<Type> Messages { get; } =
        Exported.Where(t => t.IsClass && !t.IsAbstract && !NestedValueTypes.Contains(t)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    public static TheoryData<string> MessageNames => new(Messages.Select(t => t.Name));

    [Fact]
    public void Every_exported_type_is_a_message_a_nested_value_type_or_a_constants_holder()
    {
        var unclassified = Exported.Where(t => !Messages.Contains(t) && !NestedValueTypes.Contains(t) && !IsStatic(t)).Select(t => t.Name);

        Assert.Empty(unclassified);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_message_pins_its_wire_name(string name)
    {
        Assert.NotNull(UrnOf(Messages.Single(t => t.Name == name)));
    }

    [Fact]
    public void Wire_names_are_unique()
    {
        var duplicates = Messages.GroupBy(UrnOf).Where(g => g.Key is not null && g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.Name))}");

        Assert.Empty(duplicates);
    }

    // The wire name is kept when a record is renamed, so only the shape is pinned, not its match with the CLR name.
    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Wire_names_follow_the_naming_scheme(string name)
    {
        Assert.Matches(WireName(), UrnOf(Messages.Single(t => t.Name == name)) ?? "");
    }

    [Fact]
    public void Every_nested_value_type_is_carried_by_a_message_and_pins_no_wire_name()
    {
        foreach (var type in NestedValueTypes)
        {
            Assert.True(Messages.Concat(NestedValueTypes).Any(m => Carries(m, type)), $"{type.Name} is carried by no message");
            Assert.Null(UrnOf(type));
        }
    }

    [Fact]
    public void The_message_list_is_not_empty()
    {
        // Guards the selection itself: a filter that selects nothing would make every check above pass vacuously.
        Assert.True(Messages.Count >= 30, $"only {Messages.Count} messages selected");
    }

    private static bool Carries(Type message, Type value) =>
        message.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p =>
            p.PropertyType == value || p.PropertyType.GetElementType() == value || p.PropertyType.GetGenericArguments().Contains(value));

    // Read as written in the attribute: MassTransit's Urn property adds its own prefix.
    private static string? UrnOf(Type type) =>
        type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "MassTransit.MessageUrnAttribute")
            .Select(a => a.ConstructorArguments[0].Value as string)
            .SingleOrDefault();

    [GeneratedRegex("^nuplanbus:[a-z0-9]+(-[a-z0-9]+)*:v[0-9]+$")]
    private static partial Regex WireName();
}
