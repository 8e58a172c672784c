#!/usr/bin/env bash
# Throughput of the sample app while CPU, allocation and lock profiles are recorded at once,
# against the same app not profiling, alternating the two in one run so that machine noise
# falls on both. Loopback only. Needs wrk and curl, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/profiling-overhead.sh [rounds] [seconds] [path]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-4}
seconds=${2:-20}
path=${3:-/orders/42}
port=18081
base="http://127.0.0.1:$port"

start_sample /tmp/diagkit-profiling-load.log "$base/actuator/health" \
  java -Xmx512m -jar "$(sample_jar)" --server.port=$port --spring.profiles.active=same-port \
  --sample.traffic.enabled=false --diagkit.labels.mdc=false --diagkit.endpoint.max-concurrent-captures=3 \
  --diagkit.endpoint.trace.max-duration=120s --diagkit.endpoint.requests-per-minute=1000 --logging.level.root=warn
wrk -t2 -c32 -d15s -H 'X-Tenant-ID: acme' "$base$path" >/dev/null   # warm-up

measure() {
  wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "$base$path" | requests_per_second
}

off=()
on=()
capture=$((seconds + 4))
for r in $(seq 1 "$rounds"); do
  off+=("$(measure)")
  pids=()
  for type in cpu alloc lock; do
    curl -fs -o /dev/null "$base/actuator/diag/profile?seconds=$capture&type=$type" & pids+=($!)
  done
  sleep 2
  on+=("$(measure)")
  for p in "${pids[@]}"; do wait "$p"; done
  echo "round $r: not profiling ${off[-1]} req/s, profiling cpu+alloc+lock ${on[-1]} req/s"
done
python3 - "${off[*]}" "${on[*]}" <<'PY'
import statistics, sys
off = [float(x) for x in sys.argv[1].split()]
on = [float(x) for x in sys.argv[2].split()]
mo, mn = statistics.median(off), statistics.median(on)
print(f"median not profiling {mo:.0f} req/s, profiling {mn:.0f} req/s, ratio {mn / mo:.3f}")
PY
