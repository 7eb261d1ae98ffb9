using System.Text.RegularExpressions;

namespace NuPlanBus.Deployment.Tests;

/// <summary>
/// The service images cannot be built here (no Docker engine), so their Dockerfiles are checked for what the chart
/// relies on: the project they publish, the non-root user, the management port, the entry point.
/// </summary>
public class DockerfileTests
{
    public static IEnumerable<object[]> Images() =>
    [
        ["Coordinator", "NuPlanBus.Coordinator.csproj", "nuplanbus"],
        ["SimWorker", "NuPlanBus.SimWorker.csproj", "NuPlanBus.SimWorker"],
        ["MetricWorker", "NuPlanBus.MetricWorker.csproj", "NuPlanBus.MetricWorker"],
        ["StorageGateway", "NuPlanBus.StorageGateway.csproj", "NuPlanBus.StorageGateway"],
    ];

    [Theory]
    [MemberData(nameof(Images))]
    public void Each_service_image_publishes_its_project_and_runs_as_the_non_root_app_user(string service, string project, string assembly)
    {
        var directory = Path.Combine(ChartTool.RepositoryRoot, "services", service);
        var dockerfile = File.ReadAllText(Path.Combine(directory, "Dockerfile"));
        var csproj = File.ReadAllText(Path.Combine(directory, project));

        // The assembly the ENTRYPOINT starts is the one the project builds.
        var assemblyName = Regex.Match(csproj, "<AssemblyName>([^<]+)</AssemblyName>") is { Success: true } m ? m.Groups[1].Value : Path.GetFileNameWithoutExtension(project);
        Assert.Equal(assembly, assemblyName);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", dockerfile);
        Assert.Contains($"dotnet publish services/{service}/{project}", dockerfile);

        var stages = Regex.Matches(dockerfile, @"^FROM\s+(\S+)", RegexOptions.Multiline).Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}", "mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}"], stages);
        Assert.Contains("ARG DOTNET_VERSION=10.0", dockerfile);
        Assert.Contains("COPY --from=build /app ./", dockerfile);
        Assert.Matches(@"(?m)^USER 1654$", dockerfile);
        Assert.Matches(@"(?m)^EXPOSE 8081$", dockerfile);
        Assert.DoesNotContain("latest", dockerfile);
        // The last USER wins: nothing after it may switch back to root.
        Assert.True(dockerfile.LastIndexOf("USER 1654", StringComparison.Ordinal) > dockerfile.LastIndexOf("RUN ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_coordinator_image_serves_by_default()
    {
        var dockerfile = File.ReadAllText(Path.Combine(ChartTool.RepositoryRoot, "services", "Coordinator", "Dockerfile"));
        Assert.Contains("CMD [\"serve\"]", dockerfile);
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
        // What the Dockerfiles copy must not be ignored.
        foreach (var needed in new[] { "shared/", "services/", "build/", "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.DoesNotContain(needed, ignored);
        }
    }
}
