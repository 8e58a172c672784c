#!/usr/bin/env bash
# Throughput of the sample app with diagkit on (labels, request labelling, propagation)
# against diagkit.enabled=false, in the same run, alternating the two so that machine noise
# falls on both. Loopback only. Needs wrk (Debian: apt-get install wrk) and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/request-labelling.sh [rounds] [seconds] [path]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
seconds=${2:-20}
jar=$(ls sample-app/target/diagkit-sample-app-*.jar | grep -v original | head -n 1)
port=18080
# the health endpoint answers the same with diagkit on or off (the sample's own pages echo
# the labels, which would make their answers differ in size)
url="http://127.0.0.1:$port${3:-/actuator/health}"

run_one() {
  local enabled=$1
  java -Xmx512m -jar "$jar" --server.port=$port --spring.profiles.active=same-port --diagkit.enabled="$enabled" \
    --sample.traffic.enabled=false --sample.workload.rounds-per-unit=1 --diagkit.labels.mdc=false \
    --logging.level.root=warn >/tmp/diagkit-load-app.log 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    curl -fs "$url" >/dev/null 2>&1 && break
    sleep 0.2
  done
  wrk -t2 -c32 -d10s -H 'X-Tenant-ID: acme' "$url" >/dev/null   # warm-up
  local rps
  rps=$(wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "$url" | awk '/Requests\/sec/ {print $2}')
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$rps"
}

off=()
on=()
for r in $(seq 1 "$rounds"); do
  off+=("$(run_one false)")
  on+=("$(run_one true)")
  echo "round $r: diagkit off ${off[-1]} req/s, on ${on[-1]} req/s"
done
python3 - "${off[*]}" "${on[*]}" <<'PY'
import statistics, sys
off = [float(x) for x in sys.argv[1].split()]
on = [float(x) for x in sys.argv[2].split()]
mo, mn = statistics.median(off), statistics.median(on)
print(f"median off {mo:.0f} req/s, on {mn:.0f} req/s, ratio on/off {mn / mo:.3f}")
PY
