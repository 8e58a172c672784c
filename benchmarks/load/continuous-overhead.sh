#!/usr/bin/env bash
# Throughput of the sample app under continuous profiling (cpu; and cpu, alloc and lock) at
# the default period, against the same app with diagkit.enabled=false and with diagkit on but
# continuous profiling off (labels, request labelling, the endpoint). The four run side by
# side and wrk loads them in turn, round after round, so that machine noise falls on all;
# each runs with -XX:FlightRecorderOptions:stackdepth=256, as the sample does.
# Loopback only. Needs wrk and curl, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/continuous-overhead.sh [rounds] [seconds] [path] [stackdepth]
#   path /orders/42 (the sample's per-tenant work) or /ping (a constant: per-request costs show)
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-5}
seconds=${2:-15}
path=${3:-/orders/42}
depth=${4:-256}
stores=$(mktemp -d /tmp/diagkit-continuous-load-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$stores"' EXIT

start_side_by_side "$stores" 18101 -XX:FlightRecorderOptions:stackdepth="$depth" -- --diagkit.enabled=false
start_side_by_side "$stores" 18104 -XX:FlightRecorderOptions:stackdepth="$depth" -- \
  --diagkit.profiling.continuous.enabled=false
start_side_by_side "$stores" 18102 -XX:FlightRecorderOptions:stackdepth="$depth" -- \
  --diagkit.profiling.continuous.types=cpu
start_side_by_side "$stores" 18103 -XX:FlightRecorderOptions:stackdepth="$depth" -- \
  --diagkit.profiling.continuous.types=cpu,alloc,lock
warm_up "$path" 18101 18104 18102 18103

measure() {
  pinned_load wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "http://127.0.0.1:$1$path" | requests_per_second
}

off=()
on=()
cpu=()
all=()
for r in $(seq 1 "$rounds"); do
  off+=("$(measure 18101)")
  on+=("$(measure 18104)")
  cpu+=("$(measure 18102)")
  all+=("$(measure 18103)")
  echo "round $r: diagkit off ${off[-1]} req/s, on without continuous ${on[-1]} req/s, continuous cpu ${cpu[-1]} req/s, cpu+alloc+lock ${all[-1]} req/s"
done
for port in 18102 18103; do
  curl -fs "http://127.0.0.1:$port/actuator/diag/profiles" | python3 -c "
import json, sys
body = json.load(sys.stdin)
p = body['profiler']
raw = [e for e in body['profiles'] if e['resolution'] == 'raw']
by_type = {}
for e in raw:
    by_type.setdefault(e['type'], []).append(e['bytes'])
sizes = ', '.join(f'{t} {sum(b) // len(b)} B' for t, b in by_type.items())
print(f'port $port: {p[\"windows\"]} windows, coverage {p[\"coverage\"]}, truncated {p[\"truncatedShare\"]}, mean window file: {sizes}')
"
done
# CPU time of each profiler thread (its name as Linux shortens it), per hour of uptime
tick=$(getconf CLK_TCK)
for i in 2 3; do
  pid=${pids[$i]}
  for task in /proc/"$pid"/task/*; do
    if [ "$(cat "$task/comm")" = "diagkit-continu" ]; then
      awk -v tick="$tick" -v up="$(ps -o etimes= -p "$pid")" -v port=$((18100 + i)) \
        '{printf "port %d: profiler thread %.2f s CPU in %d s, %.1f s per hour\n", port, ($14 + $15) / tick, up, ($14 + $15) / tick * 3600 / up}' \
        "$task/stat"
    fi
  done
done
python3 - "${off[*]}" "${on[*]}" "${cpu[*]}" "${all[*]}" <<'PY'
import statistics, sys
off, on, cpu, all_ = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
mo, mn, mc, ma = (statistics.median(x) for x in (off, on, cpu, all_))
print(f"median off {mo:.0f} req/s, on without continuous {mn:.0f} ({mn / mo:.3f} of off), "
      f"continuous cpu {mc:.0f} ({mc / mo:.3f} of off, {mc / mn:.3f} of on), "
      f"cpu+alloc+lock {ma:.0f} ({ma / mo:.3f} of off, {ma / mn:.3f} of on)")
PY
