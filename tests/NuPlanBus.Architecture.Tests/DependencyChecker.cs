namespace NuPlanBus.Architecture.Tests;

/// <summary>
/// Part → what it references. A reference is one of our parts by name, an unknown project of ours
/// (<c>NuPlanBus.*</c>, e.g. a test helper), or anything else (a package or assembly, e.g. <c>MassTransit</c>).
/// </summary>
public sealed record DependencyGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> References)
{
    public IReadOnlySet<string> Of(string part) =>
        References.TryGetValue(part, out var references) ? references : new HashSet<string>();

    public DependencyGraph With(string part, string reference) => Edit(part, set => set.Add(reference));

    public DependencyGraph Without(string part, string reference) => Edit(part, set => set.Remove(reference));

    private DependencyGraph Edit(string part, Action<HashSet<string>> edit)
    {
        var copy = References.ToDictionary(p => p.Key, p => p.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        if (!copy.TryGetValue(part, out var set))
        {
            copy[part] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        edit(set);
        return new DependencyGraph(copy.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal));
    }
}

/// <summary>One broken rule; <see cref="File"/> names the source file for rules checked per file.</summary>
public sealed record Violation(string Rule, string Part, string Reference, string? File = null)
{
    public override string ToString() =>
        $"{Rule}: {Part} -> {Reference}{(File is null ? "" : $" (in {File})")}";
}

public static class Rules
{
    public const string NotInTable = "project-not-in-table";
    public const string MissingProject = "table-part-without-project";
    public const string Standalone = "standalone-part-references-something";
    public const string LibraryOnService = "library-references-service";
    public const string WorkerIsolation = "worker-references-worker-or-orchestration";
    public const string EmbeddedHostOnly = "worker-used-outside-embedded-host";
    public const string CoreWithoutBus = "simulation-core-references-bus";
    public const string NotAllowed = "reference-not-in-table";
    public const string UnusedAllowance = "table-allows-unused-reference";
    public const string UnusedReference = "declared-reference-not-compiled-in";
    public const string IndirectReference = "used-part-not-referenced-directly";
}

/// <summary>
/// Pure checks of a dependency graph against the part table. Each wrong edge is reported once, under the first
/// architectural rule it breaks, and only as <see cref="Rules.NotAllowed"/> when it breaks none: the table itself
/// obeys the rules (a test checks that), so a rule-breaking edge is never merely "not listed".
/// </summary>
public static class DependencyChecker
{
    public static IReadOnlyList<Violation> Check(IReadOnlyList<Part> table, DependencyGraph graph)
    {
        var parts = table.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var violations = new List<Violation>();

        foreach (var name in graph.References.Keys.Where(n => !parts.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            violations.Add(new Violation(Rules.NotInTable, name, ""));
        }

        foreach (var part in table)
        {
            if (!graph.References.ContainsKey(part.Name))
            {
                violations.Add(new Violation(Rules.MissingProject, part.Name, ""));
                continue;
            }

            var references = graph.Of(part.Name);
            foreach (var reference in references.Where(r => r != part.Name).Order(StringComparer.Ordinal))
            {
                var broken = BrokenRule(part, reference, parts);
                if (broken is not null)
                {
                    violations.Add(new Violation(broken, part.Name, reference));
                }
            }

            foreach (var allowed in part.Allowed.Where(a => !references.Contains(a)).Order(StringComparer.Ordinal))
            {
                violations.Add(new Violation(Rules.UnusedAllowance, part.Name, allowed));
            }
        }

        return violations;
    }

    /// <summary>
    /// Per source file: the namespaces of a worker may be used only from the embedded-host files of the part that
    /// references it. <paramref name="sources"/> is part → file → parts whose namespaces the file uses.
    /// </summary>
    public static IReadOnlyList<Violation> CheckSources(
        IReadOnlyList<Part> table, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>> sources)
    {
        var parts = table.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var violations = new List<Violation>();
        foreach (var (name, files) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!parts.TryGetValue(name, out var part))
            {
                continue; // Check reports parts missing from the table.
            }

            foreach (var (file, used) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                foreach (var worker in used.Where(u => u != name && parts.TryGetValue(u, out var p) && p.Is(PartRoles.Worker)).Order(StringComparer.Ordinal))
                {
                    if (!part.Is(PartRoles.Worker) && !part.EmbeddedHostFiles.Contains(file, StringComparer.Ordinal))
                    {
                        violations.Add(new Violation(Rules.EmbeddedHostOnly, name, worker, file));
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// The declared project references against what the part really uses: a declared reference the compiler did not
    /// need is dead weight that hides the real graph; a part used (in the compiled output or by a <c>using</c>) but not
    /// declared is reached through another project and breaks when that project drops it.
    /// </summary>
    public static IReadOnlyList<Violation> CheckDirectReferences(
        IReadOnlyList<Part> table, DependencyGraph declared, DependencyGraph compiled, DependencyGraph sourceUses)
    {
        var violations = new List<Violation>();
        foreach (var name in declared.References.Keys.Order(StringComparer.Ordinal))
        {
            var declaredOurs = Ours(table, name, declared.Of(name));
            var compiledOurs = Ours(table, name, compiled.Of(name));
            var usedOurs = compiledOurs.Union(Ours(table, name, sourceUses.Of(name))).ToHashSet(StringComparer.Ordinal);

            violations.AddRange(declaredOurs.Except(compiledOurs).Order(StringComparer.Ordinal)
                .Select(r => new Violation(Rules.UnusedReference, name, r)));
            violations.AddRange(usedOurs.Except(declaredOurs).Order(StringComparer.Ordinal)
                .Select(r => new Violation(Rules.IndirectReference, name, r)));
        }

        return violations;
    }

    private static string? BrokenRule(Part part, string reference, IReadOnlyDictionary<string, Part> parts)
    {
        parts.TryGetValue(reference, out var target);
        var ours = target is not null || IsUnknownOfOurs(reference);

        if (part.Is(PartRoles.Standalone) && (ours || !IsBaseLibrary(reference) && !part.AllowedExternal.Contains(reference, StringComparer.Ordinal)))
        {
            return Rules.Standalone;
        }

        if (part.Kind == PartKind.Library && target?.Kind == PartKind.Service)
        {
            return Rules.LibraryOnService;
        }

        if (part.Is(PartRoles.Worker) && target is not null && (target.Is(PartRoles.Worker) || target.Is(PartRoles.Orchestration)))
        {
            return Rules.WorkerIsolation;
        }

        if (target is not null && target.Is(PartRoles.Worker) && part.EmbeddedHostFiles.Count == 0)
        {
            return Rules.EmbeddedHostOnly;
        }

        if (part.Is(PartRoles.SimulationCore) && IsBus(reference))
        {
            return Rules.CoreWithoutBus;
        }

        if (ours && !part.Allowed.Contains(reference, StringComparer.Ordinal))
        {
            return Rules.NotAllowed;
        }

        return null;
    }

    private static HashSet<string> Ours(IReadOnlyList<Part> table, string self, IReadOnlySet<string> references) =>
        references.Where(r => r != self && (table.Any(p => p.Name == r) || IsUnknownOfOurs(r))).ToHashSet(StringComparer.Ordinal);

    // The Coordinator's assembly is "nuplanbus", so the prefix is matched without case.
    private static bool IsUnknownOfOurs(string reference) => reference.StartsWith("NuPlanBus", StringComparison.OrdinalIgnoreCase);

    private static bool IsBus(string reference) => reference.StartsWith("MassTransit", StringComparison.Ordinal);

    private static bool IsBaseLibrary(string reference) =>
        reference is "System" or "netstandard" or "mscorlib" || reference.StartsWith("System.", StringComparison.Ordinal);
}
