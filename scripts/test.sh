#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line: "N passed, N failed".
# Integration infrastructure (RabbitMQ, PostgreSQL, moto, Prometheus) is installed and started here once
# integration test projects exist; a missing piece fails the run instead of skipping tests.
set -uo pipefail
cd "$(dirname "$0")/.."

results="${TEST_RESULTS_DIR:-TestResults}"
rm -rf "$results"
mkdir -p "$results"

# DuckDB (npm) is the independent Parquet reader the pipeline tests check our outputs with.
npm install --prefix tools/parquet-check --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
npm ci --prefix tools/k8s-check --omit=peer --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }

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
