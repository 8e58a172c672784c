#!/usr/bin/env bash
# Throughput of the sample with continuous cpu profiling at the default period against the same
# jar with diagkit.enabled=false: only these two JVMs, side by side, loaded in turn with the
# order swapped every round (off first in odd rounds, continuous first in even ones), so that
# drift in the machine falls on both equally. Reports each round's ratio and the median of
# the ratios, and the CPU time each server spent per request (from /proc: less sensitive to
# what else the machine runs than throughput is). Both run with -XX:FlightRecorderOptions:stackdepth=256, as the sample does.
# Loopback only. Needs wrk and curl, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/continuous-pair.sh [rounds] [seconds] [path] [A's arguments] [B's arguments]
#   A defaults to "--diagkit.enabled=false", B to "--diagkit.profiling.continuous.types=cpu"; give
#   others to split a difference, e.g. A "--diagkit.profiling.continuous.enabled=false"
#   A_JVM and B_JVM add JVM options to one side, e.g. B_JVM="-XX:StartFlightRecording=settings=x.jfc"
#   to measure JFR alone with B "--diagkit.enabled=false"
#   SERVER_CPUS and LOAD_CPUS pin the servers and wrk to cores of their own (see common.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=${1:-10}
seconds=${2:-10}
path=${3:-/ping}
a_args=${4:---diagkit.enabled=false}
b_args=${5:---diagkit.profiling.continuous.types=cpu}
stores=$(mktemp -d /tmp/diagkit-continuous-pair-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$stores"' EXIT

# shellcheck disable=SC2086 # each is a list of arguments
start_side_by_side "$stores" 18111 -XX:FlightRecorderOptions:stackdepth=256 ${A_JVM:-} -- $a_args
# shellcheck disable=SC2086
start_side_by_side "$stores" 18112 -XX:FlightRecorderOptions:stackdepth=256 ${B_JVM:-} -- $b_args
warm_up "$path" 18111 18112 18111 18112

tick=$(getconf CLK_TCK)
# CPU ticks the process has used so far
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# Loads a port and prints "requests/s microseconds-of-server-CPU-per-request"
measure() {
  local port=$1 pid=$2 before after report
  before=$(cpu_ticks "$pid")
  report=$(pinned_load wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "http://127.0.0.1:$port$path")
  after=$(cpu_ticks "$pid")
  echo "$report" | awk -v ticks=$((after - before)) -v tick="$tick" \
    '/requests in/ {n = $1} /Requests\/sec/ {rps = $2} END {printf "%s %.1f\n", rps, ticks / tick * 1e6 / n}'
}

off=()
cpu=()
off_us=()
cpu_us=()
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then
    read -r a b <<<"$(measure 18111 "${pids[0]}")"; off+=("$a"); off_us+=("$b")
    read -r a b <<<"$(measure 18112 "${pids[1]}")"; cpu+=("$a"); cpu_us+=("$b")
  else
    read -r a b <<<"$(measure 18112 "${pids[1]}")"; cpu+=("$a"); cpu_us+=("$b")
    read -r a b <<<"$(measure 18111 "${pids[0]}")"; off+=("$a"); off_us+=("$b")
  fi
  echo "round $r: A ${off[-1]} req/s ${off_us[-1]} µs CPU/request, B ${cpu[-1]} req/s ${cpu_us[-1]} µs CPU/request"
done
curl -fs "http://127.0.0.1:18112/actuator/diag/profiles" >/dev/null 2>&1 || true
python3 - "${off[*]}" "${cpu[*]}" "${off_us[*]}" "${cpu_us[*]}" <<'PY'
import statistics, sys
off, cpu, off_us, cpu_us = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
ratios = [c / o for o, c in zip(off, cpu)]
print("ratios B/A " + " ".join(f"{r:.3f}" for r in ratios))
print(f"median A {statistics.median(off):.0f} req/s, B {statistics.median(cpu):.0f} req/s; "
      f"ratio of medians {statistics.median(cpu) / statistics.median(off):.3f}, "
      f"median of round ratios {statistics.median(ratios):.3f}")
print(f"median server CPU per request: A {statistics.median(off_us):.1f} µs, B "
      f"{statistics.median(cpu_us):.1f} µs ({statistics.median(off_us) / statistics.median(cpu_us):.3f} as a throughput ratio)")
PY
