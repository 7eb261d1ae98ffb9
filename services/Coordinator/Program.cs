using NuPlanBus.Coordinator.Cli;

return await CoordinatorCli.RunAsync(args);
