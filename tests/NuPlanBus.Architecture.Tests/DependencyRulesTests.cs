namespace NuPlanBus.Architecture.Tests;

/// <summary>
/// Holds the repository to <see cref="PartTable"/>: the table must obey the rules, and the csproj files, the compiled
/// assemblies and the sources must match the table. The rules hold by construction only while these tests pass.
/// </summary>
public class DependencyRulesTests
{
    [Fact]
    public void The_table_itself_obeys_the_rules()
    {
        Assert.Empty(DependencyChecker.Check(PartTable.Parts, PartTable.Parts.AllowedGraph()));
    }

    [Fact]
    public void Every_project_under_shared_and_services_is_in_the_table_with_its_kind()
    {
        var onDisk = Repository.Projects.Select(p => (p.Part, p.Kind)).Order().ToList();
        var declared = PartTable.Parts.Select(p => (p.Name, p.Kind)).Order().ToList();

        Assert.Equal(declared, onDisk);
    }

    [Fact]
    public void The_csproj_references_follow_the_table()
    {
        AssertNone(DependencyChecker.Check(PartTable.Parts, Repository.Declared()));
    }

    [Fact]
    public void The_compiled_references_follow_the_table()
    {
        AssertNone(DependencyChecker.Check(PartTable.Parts, Repository.Compiled()));
    }

    [Fact]
    public void The_namespaces_used_in_the_sources_follow_the_table()
    {
        var sources = Repository.SourceUses();

        AssertNone(DependencyChecker.Check(PartTable.Parts, Repository.Flatten(sources))
            .Concat(DependencyChecker.CheckSources(PartTable.Parts, sources)));
    }

    [Fact]
    public void Every_declared_reference_is_compiled_in_and_every_used_part_is_referenced_directly()
    {
        AssertNone(DependencyChecker.CheckDirectReferences(
            PartTable.Parts, Repository.Declared(), Repository.Compiled(), Repository.Flatten(Repository.SourceUses())));
    }

    [Fact]
    public void The_embedded_host_files_of_the_table_exist()
    {
        foreach (var part in PartTable.Parts)
        {
            var project = Repository.Projects.Single(p => p.Part == part.Name);
            foreach (var file in part.EmbeddedHostFiles)
            {
                Assert.True(File.Exists(Path.Combine(project.Folder, file)), $"{part.Name}: {file} does not exist");
            }
        }
    }

    private static void AssertNone(IEnumerable<Violation> violations)
    {
        var list = violations.ToList();
        Assert.True(list.Count == 0, "Dependency violations:\n" + string.Join('\n', list));
    }
}
