using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.SimWorker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults(Extensions.ServiceName);
builder.Services.AddSimWorker(builder.Configuration);
builder.Services.AddNuPlanBus(builder.Configuration);
await builder.Build().RunAsync();
