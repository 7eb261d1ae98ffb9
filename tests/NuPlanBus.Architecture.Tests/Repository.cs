using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NuPlanBus.Architecture.Tests;

/// <summary>A project under shared/ or services/, named by its folder like the parts of the table.</summary>
public sealed record ProjectFile(string Part, PartKind Kind, string CsprojPath, string AssemblyName, string RootNamespace)
{
    public string Folder => Path.GetDirectoryName(CsprojPath)!;
}

/// <summary>Reads the three dependency graphs of the repository: the csproj files, the compiled assemblies and the sources.</summary>
public static partial class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<ProjectFile>> LazyProjects = new(FindProjects);

    public static string Root => LazyRoot.Value;

    public static IReadOnlyList<ProjectFile> Projects => LazyProjects.Value;

    /// <summary>Each project's ProjectReference items (as part names) and PackageReference items (as package ids).</summary>
    public static DependencyGraph Declared()
    {
        var byPath = Projects.ToDictionary(p => Path.GetFullPath(p.CsprojPath), p => p.Part, StringComparer.Ordinal);
        return Graph(project =>
        {
            var document = XDocument.Load(project.CsprojPath);
            var projects = document.Descendants("ProjectReference").Select(e =>
            {
                var path = Path.GetFullPath(Path.Combine(project.Folder, e.Attribute("Include")!.Value.Replace('\\', '/')));
                return byPath.TryGetValue(path, out var part) ? part : Path.GetFileNameWithoutExtension(path);
            });
            var packages = document.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value);
            return projects.Concat(packages);
        });
    }

    /// <summary>
    /// Each project's compiled assembly references, read from its own build output of the configuration these tests
    /// were built in. Read as metadata (the same table <see cref="Assembly.GetReferencedAssemblies"/> returns) so no
    /// dependency has to be loadable: the test output would otherwise need TorchSharp's natives for TensorMath.
    /// </summary>
    public static DependencyGraph Compiled()
    {
        var byAssembly = Projects.ToDictionary(p => p.AssemblyName, p => p.Part, StringComparer.Ordinal);
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (configuration, framework) = (output.Parent!.Name, output.Name);
        return Graph(project =>
        {
            var dll = Path.Combine(project.Folder, "bin", configuration, framework, project.AssemblyName + ".dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"{project.Part} is not built ({dll}); build the solution in {configuration} first.", dll);
            }

            return ReferencedAssemblies(dll).Select(a => byAssembly.GetValueOrDefault(a, a));
        });
    }

    /// <summary>Part → source file (relative to the project folder) → parts whose namespaces its using directives name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>> SourceUses()
    {
        var byNamespace = Projects.ToDictionary(p => p.RootNamespace, p => p.Part, StringComparer.Ordinal);
        return Projects.ToDictionary(
            p => p.Part,
            p => (IReadOnlyDictionary<string, IReadOnlySet<string>>)SourceFiles(p).ToDictionary(
                file => Path.GetRelativePath(p.Folder, file).Replace('\\', '/'),
                file => (IReadOnlySet<string>)File.ReadLines(file)
                    .Select(line => UsingOfOurs().Match(line))
                    .Where(m => m.Success)
                    .Select(m => byNamespace.GetValueOrDefault(m.Groups["root"].Value, m.Groups["root"].Value))
                    .ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    public static DependencyGraph Flatten(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>> sources) =>
        new(sources.ToDictionary(
            s => s.Key,
            s => (IReadOnlySet<string>)s.Value.Values.SelectMany(u => u).Where(u => u != s.Key).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal));

    private static DependencyGraph Graph(Func<ProjectFile, IEnumerable<string>> references) =>
        new(Projects.ToDictionary(p => p.Part, p => (IReadOnlySet<string>)references(p).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));

    private static IEnumerable<string> ReferencedAssemblies(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    private static IEnumerable<string> SourceFiles(ProjectFile project) =>
        Directory.EnumerateFiles(project.Folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(project.Folder, f)));

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0] is "bin" or "obj";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NuPlanBus.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No NuPlanBus.sln above {AppContext.BaseDirectory}.");
    }

    private static IReadOnlyList<ProjectFile> FindProjects() =>
        new[] { ("shared", PartKind.Library), ("services", PartKind.Service) }
            .SelectMany(top => Directory.EnumerateFiles(Path.Combine(Root, top.Item1), "*.csproj", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(Path.GetRelativePath(Path.Combine(Root, top.Item1), f)))
                .Select(csproj => Describe(csproj, top.Item2)))
            .OrderBy(p => p.Part, StringComparer.Ordinal)
            .ToList();

    private static ProjectFile Describe(string csproj, PartKind kind)
    {
        var document = XDocument.Load(csproj);
        var stem = Path.GetFileNameWithoutExtension(csproj);
        string Property(string name, string fallback) =>
            document.Descendants(name).Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0) ?? fallback;

        return new ProjectFile(
            Path.GetFileName(Path.GetDirectoryName(csproj))!, kind, csproj, Property("AssemblyName", stem), Property("RootNamespace", stem));
    }

    // using NuPlanBus.X; global using NuPlanBus.X.Y; using static NuPlanBus.X.T; using A = NuPlanBus.X.T;
    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<root>NuPlanBus\.\w+)\b")]
    private static partial Regex UsingOfOurs();
}
