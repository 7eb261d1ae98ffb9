#!/usr/bin/env bash
# Bus overhead benchmark: the same N short scenarios (default 500) embedded in one process versus over RabbitMQ
# with the services as separate processes (Coordinator, 2 SimWorkers, MetricWorker, StorageGateway).
# Prints both wall times and the per-scenario bus overhead. Needs rabbitmq-server (Debian package).
# Usage: bench/bus-overhead.sh [scenarios]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-500}"
work="$(mktemp -d /tmp/nuplanbus-bus-bench-XXXXXX)"
chmod 777 "$work"
dotnet build NuPlanBus.sln -c Release -nologo -v quiet >/dev/null
bin="$(pwd)/services"
dll() { echo "$bin/$1/bin/Release/net10.0/$2"; }
cli="$(dll Coordinator nuplanbus.dll)"

# Dataset: two generated logs (the simulate verb writes them to ./data/sample); untagged frames give as many short
# scenarios as we ask for.
cd "$work"
dotnet "$cli" simulate --output "$work/warmup" --sample-logs 2 --seed 5 --limit 2 --metrics none >/dev/null
common=(--dataset "$work/data/sample" --include-untagged --limit "$N" --metrics none --partition-size 8)

# A private RabbitMQ node on its own port.
port=$((20000 + RANDOM % 20000)); dist=$((port + 20000))
export HOME="$work" RABBITMQ_NODENAME="bench$$@localhost" RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$dist \
  RABBITMQ_MNESIA_BASE="$work/mnesia" RABBITMQ_LOG_BASE="$work/log" RABBITMQ_PID_FILE="$work/rabbit.pid" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_ENABLED_PLUGINS_FILE="$work/plugins"
echo "[]." > "$work/plugins"
rabbitmq-server -detached >/dev/null 2>&1
rabbitmqctl -n "$RABBITMQ_NODENAME" wait "$RABBITMQ_PID_FILE" --timeout 90 >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rabbitmqctl -n "$RABBITMQ_NODENAME" stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

start=$(date +%s.%N)
dotnet "$cli" simulate "${common[@]}" --output "$work/embedded" --sim-workers 2 >/dev/null
embedded=$(python3 -c "print($(date +%s.%N) - $start)")

export Bus__Transport=RabbitMq Bus__RabbitMq__Host=127.0.0.1 Bus__RabbitMq__Port=$port \
  SagaStore__Provider=Sqlite SagaStore__ConnectionString="Data Source=$work/sagas.db" Management__Enabled=false \
  SimWorker__ConcurrentPartitions=1
dotnet "$cli" serve >"$work/coordinator.log" 2>&1 & pids+=($!)
dotnet "$(dll SimWorker NuPlanBus.SimWorker.dll)" >"$work/sim1.log" 2>&1 & pids+=($!)
dotnet "$(dll SimWorker NuPlanBus.SimWorker.dll)" >"$work/sim2.log" 2>&1 & pids+=($!)
dotnet "$(dll MetricWorker NuPlanBus.MetricWorker.dll)" >"$work/metric.log" 2>&1 & pids+=($!)
dotnet "$(dll StorageGateway NuPlanBus.StorageGateway.dll)" >"$work/gateway.log" 2>&1 & pids+=($!)
for f in coordinator sim1 sim2 metric gateway; do
  until grep -q "Bus started" "$work/$f.log" 2>/dev/null; do sleep 0.5; done
done
start=$(date +%s.%N)
dotnet "$cli" submit "${common[@]}" --output "$work/distributed" --wait >/dev/null
distributed=$(python3 -c "print($(date +%s.%N) - $start)")

printf 'scenarios: %s\nembedded (1 process, 2 sim slots):        %.1f s\n' "$N" "$embedded"
printf 'RabbitMQ (5 processes, 2 SimWorkers):      %.1f s\n' "$distributed"
python3 -c "print(f'ratio distributed/embedded: {$distributed / $embedded:.2f}'); print(f'bus overhead per scenario: {($distributed - $embedded) * 1000 / $N:.1f} ms')"
