#!/usr/bin/env bash
# Where the cost of a CPU profile goes on a constant endpoint: throughput of one sample app
# (diagkit on, continuous profiling off) while nothing records, while a bare JFR recording
# samples CPU as diagkit's profile does (jdk.ExecutionSample every 20 ms, started with jcmd:
# JFR alone, no label timelines), and while /actuator/diag/profile records (JFR plus label
# timelines read every 100 ms), in turn, round after round. Loopback only. Needs wrk, curl,
# jcmd and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/profile-cost-split.sh [rounds] [seconds] [path]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-6}
seconds=${2:-15}
path=${3:-/ping}
port=18110
base="http://127.0.0.1:$port"
settings=$(mktemp /tmp/diagkit-cpu-only-XXXXXX.jfc)
cat >"$settings" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">20 ms</setting></event>
</configuration>
JFC

start_sample /tmp/diagkit-split-load.log "$base/actuator/health" \
  java -Xmx512m -XX:FlightRecorderOptions:stackdepth=256 -jar "$(sample_jar)" --server.port=$port \
  --spring.profiles.active=same-port --sample.traffic.enabled=false --diagkit.labels.mdc=false \
  --diagkit.profiling.continuous.enabled=false --diagkit.endpoint.requests-per-minute=1000 --logging.level.root=warn
wrk -t2 -c32 -d30s -H 'X-Tenant-ID: acme' "$base$path" >/dev/null   # warm-up

measure() {
  wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "$base$path" | requests_per_second
}

bare_jfr() {
  jcmd "$app" JFR.start name=split settings="$settings" >/dev/null
  local rps
  rps=$(measure)
  jcmd "$app" JFR.stop name=split >/dev/null
  echo "$rps"
}

profiled() {
  curl -fs -o /dev/null "$base/actuator/diag/profile?seconds=$((seconds + 4))&type=cpu" &
  local pid=$!
  sleep 2
  local rps
  rps=$(measure)
  wait "$pid"
  echo "$rps"
}

none=()
jfr=()
profile=()
for r in $(seq 1 "$rounds"); do
  none+=("$(measure)")
  jfr+=("$(bare_jfr)")
  profile+=("$(profiled)")
  echo "round $r: nothing ${none[-1]} req/s, bare JFR ${jfr[-1]} req/s, diag profile ${profile[-1]} req/s"
done
rm -f "$settings"
python3 - "${none[*]}" "${jfr[*]}" "${profile[*]}" <<'PY'
import statistics, sys
none, jfr, profile = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
mn, mj, mp = (statistics.median(x) for x in (none, jfr, profile))
print(f"median nothing {mn:.0f} req/s, bare JFR {mj:.0f} ({mj / mn:.3f}), diag profile {mp:.0f} ({mp / mn:.3f}; "
      f"{mp / mj:.3f} of bare JFR)")
PY
