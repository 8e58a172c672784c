#!/usr/bin/env bash
# Throughput of the sample with continuous cpu profiling at the default period against the same
# jar with diagkit.enabled=false: only these two JVMs, side by side, loaded in turn with the
# order swapped every round (off first in odd rounds, continuous first in even ones), so that
# drift in the machine falls on both equally. Reports each round's ratio and the median of
# the ratios. Both run with -XX:FlightRecorderOptions:stackdepth=256, as the sample does.
# Loopback only. Needs wrk and curl, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/continuous-pair.sh [rounds] [seconds] [path]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-10}
seconds=${2:-10}
path=${3:-/ping}
stores=$(mktemp -d /tmp/diagkit-continuous-pair-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$stores"' EXIT

start_side_by_side "$stores" 18111 -XX:FlightRecorderOptions:stackdepth=256 -- --diagkit.enabled=false
start_side_by_side "$stores" 18112 -XX:FlightRecorderOptions:stackdepth=256 -- \
  --diagkit.profiling.continuous.types=cpu
warm_up "$path" 18111 18112 18111 18112

measure() {
  wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "http://127.0.0.1:$1$path" | requests_per_second
}

off=()
cpu=()
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then
    off+=("$(measure 18111)")
    cpu+=("$(measure 18112)")
  else
    cpu+=("$(measure 18112)")
    off+=("$(measure 18111)")
  fi
  echo "round $r: diagkit off ${off[-1]} req/s, continuous cpu ${cpu[-1]} req/s"
done
curl -fs "http://127.0.0.1:18112/actuator/diag/profiles" >/dev/null 2>&1 || true
python3 - "${off[*]}" "${cpu[*]}" <<'PY'
import statistics, sys
off, cpu = ([float(x) for x in arg.split()] for arg in sys.argv[1:3])
ratios = [c / o for o, c in zip(off, cpu)]
print("ratios " + " ".join(f"{r:.3f}" for r in ratios))
print(f"median off {statistics.median(off):.0f} req/s, continuous cpu {statistics.median(cpu):.0f} req/s; "
      f"ratio of medians {statistics.median(cpu) / statistics.median(off):.3f}, "
      f"median of round ratios {statistics.median(ratios):.3f}")
PY
