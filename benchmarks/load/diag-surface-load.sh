#!/usr/bin/env bash
# The application's own throughput while 100 clients hammer diag's read sections on the
# management port, against the same app un-hammered, and against 100 clients hammering
# /actuator/health (a control: what any 100 busy clients of the management port cost). The
# three alternate in one run so that machine noise falls on all. The application runs on CPU 0
# and both load generators on CPU 1 (taskset), so that what the application loses is what
# serving the flood costs it, not the load generators' own CPU. Loopback only: all 100
# clients share one address and so one rate-limit bucket, as a flood from one host would.
# Needs wrk and taskset (util-linux), two CPUs, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/diag-surface-load.sh [rounds] [seconds] [path]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-4}
seconds=${2:-20}
path=${3:-/orders/42}
port=18083
management=18084
base="http://127.0.0.1:$port"
lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
local paths = { "/actuator/diag", "/actuator/diag/metrics", "/actuator/diag/labels",
  "/actuator/diag/capacity", "/actuator/diag/settings", "/actuator/diag/stacks" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA

start_sample /tmp/diagkit-surface-load.log "http://127.0.0.1:$management/actuator/health" \
  taskset -c 0 java -Xmx512m -XX:ActiveProcessorCount=1 -jar "$(sample_jar)" --server.port=$port \
  --management.server.port=$management --sample.traffic.enabled=false --diagkit.labels.mdc=false \
  --logging.level.root=warn
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -f "$lua"' EXIT
taskset -c 1 wrk -t1 -c32 -d"${WARMUP:-90}s" -H 'X-Tenant-ID: acme' "$base$path" >/dev/null   # warm-up: JIT on one CPU is slow

measure() {
  taskset -c 1 wrk -t1 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "$base$path" | requests_per_second
}

hammered() {
  local out
  out=$(mktemp)
  taskset -c 1 wrk -t1 -c100 -d"$((seconds + 4))s" "$@" >"$out" &
  local pid=$!
  sleep 2
  local rps
  rps=$(measure)
  wait "$pid"
  echo "$rps $(requests_per_second <"$out") $(awk '/Non-2xx/ {print $NF}' "$out")"
  rm -f "$out"
}

off=()
diag=()
health=()
for r in $(seq 1 "$rounds"); do
  off+=("$(measure)")
  read -r app_rps diag_rps diag_refused <<<"$(hammered -s "$lua" "http://127.0.0.1:$management")"
  diag+=("$app_rps")
  read -r app_rps2 health_rps _ <<<"$(hammered "http://127.0.0.1:$management/actuator/health")"
  health+=("$app_rps2")
  echo "round $r: alone ${off[-1]} req/s; diag hammered ${diag[-1]} req/s (diag answered $diag_rps req/s, ${diag_refused:-0} refused); health hammered ${health[-1]} req/s (health $health_rps req/s)"
done
grep -o '"heapUsedAfterBytes":[0-9]*' /dev/null || true
python3 - "${off[*]}" "${diag[*]}" "${health[*]}" <<'PY'
import statistics, sys
off, diag, health = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
mo, md, mh = statistics.median(off), statistics.median(diag), statistics.median(health)
print(f"median alone {mo:.0f} req/s; diag hammered {md:.0f} req/s (ratio {md / mo:.3f}); health hammered {mh:.0f} req/s (ratio {mh / mo:.3f})")
PY
