using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace NuPlanBus.Deployment.Tests;

/// <summary>
/// The service images cannot be built here (no Docker engine), so the one Dockerfile is checked for what the chart
/// relies on — the project each SERVICE publishes, the non-root user, the management port — and its entry script is
/// run against a stand-in <c>dotnet</c> to show which assembly and arguments each image starts.
/// </summary>
[SupportedOSPlatform("linux")]
public class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(ChartTool.RepositoryRoot, "Dockerfile"));
    private static readonly string EntryScript = Path.Combine(ChartTool.RepositoryRoot, "build", "container-entrypoint.sh");

    public static TheoryData<string, string, string, string> Images() => new()
    {
        { "Coordinator", "coordinator", "coordinator", "nuplanbus" },
        { "SimWorker", "simWorker", "sim-worker", "NuPlanBus.SimWorker" },
        { "MetricWorker", "metricWorker", "metric-worker", "NuPlanBus.MetricWorker" },
        { "StorageGateway", "storageGateway", "storage-gateway", "NuPlanBus.StorageGateway" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Each_service_argument_publishes_the_project_whose_image_the_chart_deploys(string service, string component, string repository, string assembly)
    {
        var project = Path.Combine("services", service, $"NuPlanBus.{service}.csproj");
        Assert.True(File.Exists(Path.Combine(ChartTool.RepositoryRoot, project)), $"{project} is missing");
        Assert.Contains("dotnet publish services/${SERVICE}/NuPlanBus.${SERVICE}.csproj", Dockerfile);

        // The name the image writes for its entry point is the assembly the project builds.
        var evaluated = Run("dotnet", ["msbuild", project, "-getProperty:AssemblyName"], ChartTool.RepositoryRoot);
        Assert.Equal(assembly, evaluated.Stdout.Trim());
        Assert.Contains("-getProperty:AssemblyName > /app/entry-assembly", Dockerfile);

        // The documented build command tags the repository the chart's values name for that component.
        Assert.Matches($@"--build-arg SERVICE={service}\s+-t <registry>/{repository}:", Dockerfile);
        var values = File.ReadAllText(Path.Combine(ChartTool.ChartDirectory, "values.yaml"));
        Assert.Matches($@"(?m)^{component}:\n(?:  .*\n|\n)*?  repository: {repository}$", values);
    }

    [Fact]
    public void The_image_is_multi_stage_non_root_and_pinned()
    {
        var stages = Regex.Matches(Dockerfile, @"^FROM\s+(\S+)", RegexOptions.Multiline).Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}", "mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}"], stages);
        Assert.Contains("ARG DOTNET_VERSION=10.0", Dockerfile);
        Assert.Equal(2, Regex.Matches(Dockerfile, @"(?m)^ARG SERVICE$").Count);
        Assert.Contains("COPY --from=build /app ./", Dockerfile);
        Assert.Matches(@"(?m)^USER 1654$", Dockerfile);
        Assert.Matches(@"(?m)^EXPOSE 8081$", Dockerfile);
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/nuplanbus-entrypoint\"]", Dockerfile);
        Assert.DoesNotContain("latest", Dockerfile);
        // The last USER wins: nothing after it may switch back to root.
        Assert.True(Dockerfile.LastIndexOf("USER 1654", StringComparison.Ordinal) > Dockerfile.LastIndexOf("RUN ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Coordinator", "nuplanbus", new string[0], "nuplanbus.dll serve")]
    [InlineData("Coordinator", "nuplanbus", new[] { "simulate", "--help" }, "nuplanbus.dll simulate --help")]
    [InlineData("SimWorker", "NuPlanBus.SimWorker", new string[0], "NuPlanBus.SimWorker.dll")]
    [InlineData("MetricWorker", "NuPlanBus.MetricWorker", new[] { "--Bus:Transport=RabbitMq" }, "NuPlanBus.MetricWorker.dll --Bus:Transport=RabbitMq")]
    public void The_entry_script_starts_the_published_assembly(string service, string assembly, string[] args, string expected)
    {
        var app = Directory.CreateTempSubdirectory("nuplanbus-image-");
        try
        {
            File.WriteAllText(Path.Combine(app.FullName, "entry-assembly"), assembly + "\n");
            // A stand-in dotnet that prints what it was asked to run, first on PATH.
            var fake = Path.Combine(app.FullName, "dotnet");
            File.WriteAllText(fake, "#!/bin/sh\necho \"$@\"\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var environment = new Dictionary<string, string>
            {
                ["NUPLANBUS_SERVICE"] = service,
                ["NUPLANBUS_APP_DIR"] = app.FullName,
                ["PATH"] = $"{app.FullName}:{Environment.GetEnvironmentVariable("PATH")}",
            };

            var result = Run("sh", [EntryScript, .. args], app.FullName, environment);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal($"{app.FullName}/{expected}", result.Stdout.Trim());
        }
        finally
        {
            app.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_build_context_leaves_out_local_outputs()
    {
        var ignored = File.ReadAllLines(Path.Combine(ChartTool.RepositoryRoot, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        foreach (var entry in new[] { "**/bin/", "**/obj/", "runs/", "data/", "**/node_modules/", "**/TestResults/" })
        {
            Assert.Contains(entry, ignored);
        }
        // What the Dockerfile copies must not be ignored, and each of it must exist.
        var copied = Regex.Matches(Dockerfile, @"(?m)^COPY (?!--from)(.+) \S+$")
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.Contains("shared/", copied);
        Assert.Contains("build/container-entrypoint.sh", copied);
        foreach (var needed in copied)
        {
            Assert.DoesNotContain(needed, ignored);
            Assert.True(File.Exists(Path.Combine(ChartTool.RepositoryRoot, needed)) || Directory.Exists(Path.Combine(ChartTool.RepositoryRoot, needed)),
                $"the Dockerfile copies '{needed}', which does not exist");
        }
    }

    private static ChartTool.ProcessResult Run(string fileName, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"{fileName} did not finish within 60 s");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        return new ChartTool.ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
