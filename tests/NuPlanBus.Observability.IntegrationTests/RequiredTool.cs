namespace NuPlanBus.Observability.IntegrationTests;

/// <summary>Finds the real tools these tests drive. A missing tool fails the test: it is never skipped.</summary>
public static class RequiredTool
{
    public static string Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found on PATH. These integration tests need Prometheus 2.x and promtool: " +
            "install Debian's package (apt-get install -y prometheus); scripts/test.sh installs it when missing.");
    }
}
