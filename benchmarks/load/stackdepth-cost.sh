#!/usr/bin/env bash
# What deeper JFR stacks cost: two sample jars side by side under continuous CPU profiling,
# one with JFR's default stack depth (64 frames) and one with -XX:FlightRecorderOptions:
# stackdepth=N, loaded in turn round after round; also reports the share of samples each
# one's windows had cut (their roots missing). Loopback only. Needs wrk, curl and a built
# sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/stackdepth-cost.sh [rounds] [seconds] [path] [depth]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-6}
seconds=${2:-15}
path=${3:-/orders/42}
depth=${4:-256}
stores=$(mktemp -d /tmp/diagkit-stackdepth-load-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$stores"' EXIT

start_side_by_side "$stores" 18121
start_side_by_side "$stores" 18122 -XX:FlightRecorderOptions:stackdepth="$depth"
warm_up "$path" 18121 18122

measure() {
  wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "http://127.0.0.1:$1$path" | requests_per_second
}

shallow=()
deep=()
for r in $(seq 1 "$rounds"); do
  shallow+=("$(measure 18121)")
  deep+=("$(measure 18122)")
  echo "round $r: stackdepth 64 ${shallow[-1]} req/s, stackdepth $depth ${deep[-1]} req/s"
done
for port in 18121 18122; do
  curl -fs "http://127.0.0.1:$port/actuator/prometheus" | awk -v port=$port '
    /^diagkit_profiling_truncated_total\{.*type="cpu"/ {cut = $2}
    /^diagkit_profiling_samples_total\{.*type="cpu"/ {all = $2}
    END {printf "port %d: %d of %d cpu samples cut (%.1f%%)\n", port, cut, all, (all > 0) ? 100 * cut / all : 0}'
done
python3 - "${shallow[*]}" "${deep[*]}" "$depth" <<'PY'
import statistics, sys
shallow, deep = ([float(x) for x in arg.split()] for arg in sys.argv[1:3])
ms, md = statistics.median(shallow), statistics.median(deep)
print(f"median stackdepth 64 {ms:.0f} req/s, stackdepth {sys.argv[3]} {md:.0f} req/s (ratio {md / ms:.3f})")
PY
