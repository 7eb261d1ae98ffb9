#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line: "N passed, N failed".
# Integration tests talk to real servers: RabbitMQ and PostgreSQL nodes, a moto S3 server and Prometheus are
# started by the test fixtures themselves; this script installs the Debian packages they need when missing.
# A missing piece fails the run instead of skipping tests.
set -uo pipefail
cd "$(dirname "$0")/.."

results="${TEST_RESULTS_DIR:-TestResults}"
rm -rf "$results"
mkdir -p "$results"

# DuckDB (npm) is the independent Parquet reader the pipeline tests check our outputs with.
npm ci --prefix tools/parquet-check --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
npm ci --prefix tools/k8s-check --omit=peer --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }

# RabbitMQ (the fixtures start a private node per test run on their own ports and directories).
if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
  { apt-get update -qq && apt-get install -y -qq rabbitmq-server; } \
    || { echo "could not install rabbitmq-server"; echo "0 passed, 1 failed"; exit 1; }
fi
# The package starts a system node; the tests use their own.
command -v systemctl >/dev/null && systemctl stop rabbitmq-server >/dev/null 2>&1 || true

# PostgreSQL server binaries (initdb, pg_ctl) for the saga-store integration tests.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  { apt-get update -qq && apt-get install -y -qq postgresql; } \
    || { echo "could not install PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
fi

# Prometheus and promtool (Debian's prometheus package) for the observability integration tests.
command -v promtool >/dev/null || { apt-get update -qq && apt-get install -y -qq prometheus; } \
  || { echo "could not install the prometheus package (promtool, prometheus)"; echo "0 passed, 1 failed"; exit 1; }
command -v prometheus >/dev/null && command -v promtool >/dev/null || { echo "prometheus or promtool missing from PATH"; echo "0 passed, 1 failed"; exit 1; }

dotnet build NuPlanBus.sln -c Release -nologo -v quiet /p:UseSharedCompilation=true || { echo "0 passed, 1 failed"; exit 1; }

dotnet test NuPlanBus.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
print(f"{passed} passed, {failed} failed")
PY
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
