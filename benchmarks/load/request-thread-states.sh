#!/usr/bin/env bash
# What the request threads are doing under load: starts one sample jar per configuration in
# turn (not side by side), loads /ping for 60 s, and from the 35th second takes eight thread
# dumps (jstack, 2 s apart) of the server. Prints, per configuration, the throughput, how many
# request-thread states of each kind the dumps held, and the frames the BLOCKED ones waited in.
# A lock that every request takes shows as BLOCKED threads when a holder is descheduled.
# Loopback only. Needs wrk, curl, jstack and python3, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/request-thread-states.sh path "name|arguments"...
#   e.g. SERVER_CPUS=1 LOAD_CPUS=0 benchmarks/load/request-thread-states.sh /ping "off|--diagkit.enabled=false" \
#          "on|--diagkit.profiling.continuous.enabled=false" "cpu|--diagkit.profiling.continuous.types=cpu"
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
path=$1
shift
work=$(mktemp -d /tmp/diagkit-thread-states-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

for config in "$@"; do
  IFS='|' read -r name app <<<"$config"
  pids=()
  # shellcheck disable=SC2086 # a list of arguments
  start_side_by_side "$work" 18160 -XX:FlightRecorderOptions:stackdepth=256 -- $app
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:18160/actuator/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  pinned_load wrk -t2 -c32 -d60s -H 'X-Tenant-ID: acme' "http://127.0.0.1:18160$path" >"$work/$name.wrk" &
  load=$!
  sleep 35
  for i in $(seq 1 8); do
    pinned_load jstack "${pids[0]}" >"$work/$name.dump.$i"
    sleep 2
  done
  wait "$load"
  kill "${pids[0]}"
  wait "${pids[0]}" 2>/dev/null || true
  python3 - "$work" "$name" <<'PY'
import collections, glob, re, sys
work, name = sys.argv[1], sys.argv[2]
states, blocked = collections.Counter(), collections.Counter()
for dump in glob.glob(f"{work}/{name}.dump.*"):
    for thread in open(dump).read().split("\n\n"):
        if not re.match(r'"http-nio-\d+-exec-', thread):
            continue
        state = re.search(r"java.lang.Thread.State: (\S+)", thread)
        state = state.group(1) if state else "?"
        states[state] += 1
        frames = re.findall(r"\tat (\S+)", thread)
        if state == "BLOCKED" and frames:
            blocked[frames[0]] += 1
rate = re.search(r"Requests/sec:\s+(\S+)", open(f"{work}/{name}.wrk").read())
print(f"{name}: {rate.group(1) if rate else '?'} requests/s; request-thread states in 8 dumps: "
      + ", ".join(f"{s} {n}" for s, n in states.most_common()))
for frame, n in blocked.most_common(3):
    print(f"  BLOCKED {n} in {frame}")
PY
done
