using System.CommandLine;
using MassTransit;
using NuPlanBus.Contracts;
using Spectre.Console;

namespace NuPlanBus.Coordinator.Cli;

/// <summary><c>ping</c>: asks every service on the broker to answer and lists who did, their version and health.</summary>
public static class PingCommand
{
    public static readonly string[] RequiredServices = ["coordinator", "sim-worker", "metric-worker", "storage-gateway"];

    public static Command Create()
    {
        var wait = new Option<double>("--wait") { Description = "Seconds to collect answers.", DefaultValueFactory = _ => 3.0 };
        var require = new Option<string[]>("--require")
        {
            Description = "Services that must answer healthy (default: all four).",
            DefaultValueFactory = _ => RequiredServices,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("ping", "Ask every service of a deployment over the bus who is there, their version and health; exits 1 when a required one is missing or unhealthy.")
        {
            wait, require,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = await BusClient.StartAsync(cancellationToken);
            var answers = await PingAsync(client.Bus, TimeSpan.FromSeconds(parse.GetValue(wait)), cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("service", "host", "pid", "version", "health");
            foreach (var answer in answers.OrderBy(a => a.Service, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(answer.Service), Markup.Escape(answer.Host), answer.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(answer.Version), answer.Health == "Healthy" ? "[green]Healthy[/]" : $"[red]{Markup.Escape(answer.Health)}[/]");
            }
            AnsiConsole.Write(table);
            var missing = (parse.GetValue(require) ?? RequiredServices)
                .Where(name => !answers.Any(a => a.Service == name && a.Health == "Healthy"))
                .ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"error: no healthy answer from: {string.Join(", ", missing)}");
                return RunReport.Failure;
            }
            return RunReport.Success;
        });
        return command;
    }

    public static async Task<IReadOnlyList<ServicePinged>> PingAsync(IBus bus, TimeSpan wait, CancellationToken cancellationToken)
    {
        var requestId = NewId.NextGuid();
        var answers = new List<ServicePinged>();
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
            endpoint.Handler<ServicePinged>(ctx =>
            {
                if (ctx.Message.RequestId == requestId)
                {
                    lock (answers)
                    {
                        answers.Add(ctx.Message);
                    }
                }
                return Task.CompletedTask;
            }));
        try
        {
            await handle.Ready.WaitAsync(cancellationToken);
            await bus.Publish(new PingServices { RequestId = requestId }, cancellationToken);
            await Task.Delay(wait, cancellationToken);
            lock (answers)
            {
                return answers.ToList();
            }
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }
    }
}
