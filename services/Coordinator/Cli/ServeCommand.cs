using System.CommandLine;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting;
using NuPlanBus.Hosting.Messaging;

namespace NuPlanBus.Coordinator.Cli;

/// <summary><c>serve</c>: run the Coordinator alone as a service (submissions, run sagas), configured like any host.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the Coordinator service (for distributed deployments; configure the bus with Bus__Transport=RabbitMq …).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = Host.CreateApplicationBuilder(parse.UnmatchedTokens.ToArray());
            builder.AddServiceDefaults(Extensions.ServiceName);
            builder.Services.AddCoordinator(builder.Configuration);
            builder.Services.AddNuPlanBus(builder.Configuration);
            await builder.Build().RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
