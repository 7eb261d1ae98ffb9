using System.CommandLine;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>The <c>nuplanbus</c> command line.</summary>
public static class CoordinatorCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "NuPlanBus evaluates autonomous-driving planners on nuPlan scenarios: closed-loop simulation, nuPlan metrics " +
            "and runner reports, as services over a message bus. Start with 'simulate', which needs no arguments.")
        {
            SimulateCommand.Create(),
            MetricsCommand.Create(),
            BatchCommand.Create(),
            SubmitCommand.CreateSubmit(),
            SubmitCommand.CreateWatch(),
            PingCommand.Create(),
            ServeCommand.Create(),
        };
        return root;
    }

    /// <summary>Runs the command line: the user's own mistakes become a message and exit code 2, never a stack trace.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        try
        {
            var parse = Build().Parse(args);
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellation.Token);
        }
        catch (UserInputException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return RunReport.BadInput;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            Console.Error.WriteLine($"error: invalid configuration: {ex.Message}");
            return RunReport.BadInput;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }
}
