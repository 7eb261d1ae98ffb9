using System.Diagnostics;
using System.Text.Json;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>
/// Reads Parquet files with DuckDB (through its Node.js package in tools/parquet-check): an independent reader
/// that proves our outputs are not only readable by the library that wrote them. The test command installs
/// the package; if Node or the package is missing the test fails rather than skipping.
/// </summary>
public static class DuckDb
{
    public sealed record Column(string Name, string Type);

    public sealed record Description(IReadOnlyList<Column> Columns, int Rows);

    public static async Task<Description> DescribeAsync(string parquetFile)
    {
        var tool = Path.Combine(RepositoryRoot(), "tools", "parquet-check");
        Assert.True(
            Directory.Exists(Path.Combine(tool, "node_modules", "@duckdb", "node-api")),
            $"DuckDB is not installed: run 'npm ci --prefix {tool}' (scripts/test.sh does).");
        var start = new ProcessStartInfo("node", ["describe.mjs", parquetFile])
        {
            WorkingDirectory = tool,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"DuckDB could not read {parquetFile}: {await stderr}");
        return JsonSerializer.Deserialize<Description>(await stdout, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public static string RepositoryRoot()
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
