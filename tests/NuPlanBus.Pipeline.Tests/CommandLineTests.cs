using NuPlanBus.Coordinator.Cli;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>The command line redirects the process's console, so these tests never run beside each other.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>Runs the <c>nuplanbus</c> command line in this process with its console captured.</summary>
public static class CommandLine
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError, previousAnsi) = (Console.Out, Console.Error, Spectre.Console.AnsiConsole.Console);
        Console.SetOut(output);
        Console.SetError(error);
        // Spectre's console keeps the writer it was first created with: give it this run's.
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
        });
        try
        {
            var code = await CoordinatorCli.RunAsync(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            Spectre.Console.AnsiConsole.Console = previousAnsi;
        }
    }
}

[Collection(nameof(ConsoleCollection))]
public class CommandLineTests(SampleDatasetFixture dataset) : IClassFixture<SampleDatasetFixture>
{
    private static Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) => CommandLine.RunAsync(args);

    [Fact]
    public async Task Simulate_on_a_log_completes_with_exit_code_zero_and_prints_a_summary()
    {
        var output = dataset.NewOutputRoot();

        var (code, stdout, _) = await RunAsync("simulate", "--dataset", dataset.Logs[0], "--output", output, "--metrics", "none", "--limit", "3");

        Assert.Equal(0, code);
        Assert.Contains("3 succeeded", stdout);
        Assert.Contains("done", stdout);
        Assert.True(File.Exists(Path.Combine(output, "simulation", "runner_report.parquet")));
    }

    [Fact]
    public async Task A_missing_log_file_is_a_message_and_exit_code_two_without_a_stack_trace()
    {
        var (code, _, error) = await RunAsync("simulate", "--dataset", "/definitely/not/here.db", "--output", dataset.NewOutputRoot());

        Assert.Equal(2, code);
        Assert.Contains("/definitely/not/here.db", error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public async Task A_database_without_the_nuPlan_schema_names_the_missing_table()
    {
        var path = Path.Combine(dataset.Root, "empty-schema.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE unrelated (id INTEGER)";
            await command.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var (code, _, error) = await RunAsync("simulate", "--dataset", path, "--output", dataset.NewOutputRoot());

        Assert.Equal(2, code);
        Assert.Contains("nuPlan", error);
        Assert.DoesNotContain(" at ", error);
    }

    [Theory]
    [InlineData("simulate")]
    [InlineData("metrics")]
    public async Task An_S3_output_for_an_embedded_run_is_refused_with_the_reason_and_nothing_is_written(string verb)
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        string[] args = verb == "simulate"
            ? ["simulate", "--dataset", dataset.Logs[0], "--output", "s3://bucket/runs"]
            : ["metrics", dataset.Root, "--output", "s3://bucket/runs"];

        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("s3://bucket/runs", error);
        Assert.DoesNotContain(" at ", error);
        Assert.False(Directory.Exists(Path.Combine(workingDirectory, "s3:")), "no stray local 's3:' directory");
    }

    [Theory]
    [InlineData("--partition-size", "zero")]
    [InlineData("--no-such-option", "1")]
    public async Task Bad_arguments_give_a_usage_error(string option, string value)
    {
        var (code, _, error) = await RunAsync("simulate", option, value);

        Assert.NotEqual(0, code);
        Assert.NotEmpty(error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public async Task Help_explains_the_simulate_verb()
    {
        var (code, stdout, _) = await RunAsync("simulate", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--planner", stdout);
        Assert.Contains("--dataset", stdout);
    }
}
