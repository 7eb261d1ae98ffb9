# syntax=docker/dockerfile:1
# One image definition for every NuPlanBus service; SERVICE names the project under services/ to publish:
#   docker build --build-arg SERVICE=Coordinator    -t <registry>/coordinator:0.1.0 .
#   docker build --build-arg SERVICE=SimWorker      -t <registry>/sim-worker:0.1.0 .
#   docker build --build-arg SERVICE=MetricWorker   -t <registry>/metric-worker:0.1.0 .
#   docker build --build-arg SERVICE=StorageGateway -t <registry>/storage-gateway:0.1.0 .
# The build context is the repository root. The Coordinator image is also the `nuplanbus` CLI: Kubernetes runs
# `serve` (the chart passes it), the Indexed Job runs `batch`, and `docker run <image> simulate --help` works.
# SimWorker images run TorchSharp on the CPU (libtorch-cpu-linux-x64); the GPU variant (repository sim-worker-cuda,
# used by the chart when simWorker.gpu.enabled) is this build with the CUDA libtorch package referenced instead and
# an NVIDIA CUDA runtime base; the NVIDIA container toolkit on the node provides the driver.
# Images run as the non-root `app` user (UID 1654) on a read-only root filesystem: they write only to /tmp and
# /data (caches), which Kubernetes mounts as emptyDir volumes. Each serves /metrics and /health/* on port 8081.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "Pass --build-arg SERVICE=Coordinator|SimWorker|MetricWorker|StorageGateway" >&2; exit 1; }
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY build/ build/
COPY shared/ shared/
COPY services/ services/
# linux-x64: TorchSharp's natives exist only for it. The Debian libstdc++ patch (build/TorchSharpNativeFix.targets)
# is off: the .NET 10 base images are Ubuntu 24.04, whose libstdc++ has GLIBCXX_3.4.32 (and the patch needs python3).
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish services/${SERVICE}/NuPlanBus.${SERVICE}.csproj \
      --configuration Release \
      --runtime linux-x64 \
      --self-contained false \
      --output /app \
      -p:UseAppHost=false \
      -p:DisableTorchSharpNativeFix=true \
 && dotnet msbuild services/${SERVICE}/NuPlanBus.${SERVICE}.csproj -getProperty:AssemblyName > /app/entry-assembly

# aspnet rather than runtime: the management endpoint (/metrics, /health) is served by ASP.NET Core.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS final
ARG SERVICE
WORKDIR /app
# /data is the mount point of the cache volume; owned by app so it also works without a volume (docker run).
RUN mkdir -p /data && chown 1654:1654 /data
# Application files stay owned by root: the app user can read but not modify them.
COPY --from=build /app ./
COPY build/container-entrypoint.sh /usr/local/bin/nuplanbus-entrypoint
# The management server binds Management:Host/Port itself; the base image's default Kestrel port (8080) is cleared.
ENV NUPLANBUS_SERVICE=${SERVICE} \
    DOTNET_ENVIRONMENT=Production \
    TMPDIR=/tmp \
    Management__Port=8081 \
    ASPNETCORE_HTTP_PORTS= \
    Storage__LogDatabaseCache__Directory=/data/log-cache
USER 1654
EXPOSE 8081
ENTRYPOINT ["/usr/local/bin/nuplanbus-entrypoint"]
