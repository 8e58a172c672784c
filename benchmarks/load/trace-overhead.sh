#!/usr/bin/env bash
# Throughput of the sample app while /actuator/diag/trace records with the JDK's "default"
# and "profile" settings (diagkit's sampling knobs on top, as a user gets them), against the
# same app not tracing, the three alternating in one run so that machine noise falls on all.
# Loopback only. Needs wrk and curl, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/trace-overhead.sh [rounds] [seconds] [path]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-4}
seconds=${2:-20}
path=${3:-/orders/42}
port=18082
base="http://127.0.0.1:$port"

start_sample /tmp/diagkit-trace-load.log "$base/actuator/health" \
  java -Xmx512m -jar "$(sample_jar)" --server.port=$port --spring.profiles.active=same-port \
  --sample.traffic.enabled=false --diagkit.labels.mdc=false --diagkit.endpoint.trace.max-duration=120s \
  --diagkit.endpoint.requests-per-minute=1000 --logging.level.root=warn
wrk -t2 -c32 -d15s -H 'X-Tenant-ID: acme' "$base$path" >/dev/null   # warm-up

measure() {
  wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "$base$path" | requests_per_second
}

traced() {
  local settings=$1
  curl -fs -o /tmp/diagkit-trace-load.jfr "$base/actuator/diag/trace?seconds=$((seconds + 4))&settings=$settings" &
  local pid=$!
  sleep 2
  local rps
  rps=$(measure)
  wait "$pid"
  echo "$rps $(stat -c %s /tmp/diagkit-trace-load.jfr)"
}

off=()
default=()
profile=()
for r in $(seq 1 "$rounds"); do
  off+=("$(measure)")
  read -r rps size <<<"$(traced default)"
  default+=("$rps")
  read -r rps2 size2 <<<"$(traced profile)"
  profile+=("$rps2")
  echo "round $r: not tracing ${off[-1]} req/s, default ${default[-1]} req/s ($size bytes), profile ${profile[-1]} req/s ($size2 bytes)"
done
rm -f /tmp/diagkit-trace-load.jfr
python3 - "${off[*]}" "${default[*]}" "${profile[*]}" <<'PY'
import statistics, sys
off, default, profile = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
mo, md, mp = statistics.median(off), statistics.median(default), statistics.median(profile)
print(f"median not tracing {mo:.0f} req/s, default {md:.0f} req/s (ratio {md / mo:.3f}), profile {mp:.0f} req/s (ratio {mp / mo:.3f})")
PY
