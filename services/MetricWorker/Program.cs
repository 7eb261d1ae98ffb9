using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.MetricWorker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults(Extensions.ServiceName);
builder.Services.AddMetricWorker(builder.Configuration);
builder.Services.AddNuPlanBus(builder.Configuration);
await builder.Build().RunAsync();
