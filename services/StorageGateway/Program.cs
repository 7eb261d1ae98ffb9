using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.StorageGateway;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults(Extensions.ServiceName);
builder.Services.AddStorageGateway(builder.Configuration);
builder.Services.AddNuPlanBus(builder.Configuration);
await builder.Build().RunAsync();
