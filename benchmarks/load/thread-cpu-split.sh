#!/usr/bin/env bash
# Where a server's CPU goes per request, by thread: starts one sample jar per configuration side
# by side, loads each in turn, and reads every thread's CPU time from /proc/<pid>/task/*/schedstat
# (nanoseconds, unlike the 10 ms ticks of /proc/<pid>/stat) before and after each load. Threads
# are grouped by name with numbers removed (http-nio-N-exec-N, GC Thread#N...); each round prints
# the groups' microseconds of CPU per request, and the end the median per configuration.
# Loopback only. Needs wrk, curl and python3, and a built sample:
#   ./mvnw -q -pl sample-app -am clean package -DskipTests
# Usage: benchmarks/load/thread-cpu-split.sh rounds seconds path "name|JVM options|arguments[|jar]"...
#   (jar: another build of the sample for this configuration, e.g. from a worktree of an older commit)
#   e.g. benchmarks/load/thread-cpu-split.sh 6 10 /ping "off||--diagkit.enabled=false" \
#          "on||--diagkit.profiling.continuous.enabled=false" "cpu||--diagkit.profiling.continuous.types=cpu"
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/load/common.sh
rounds=$1
seconds=$2
path=$3
shift 3
work=$(mktemp -d /tmp/diagkit-thread-split-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

names=()
ports=()
port=18140
for config in "$@"; do
  IFS='|' read -r name jvm app jar <<<"$config"
  # shellcheck disable=SC2086 # each is a list of options
  SAMPLE_JAR="${jar:-}" start_side_by_side "$work" "$port" -XX:FlightRecorderOptions:stackdepth=256 $jvm -- $app
  names+=("$name")
  ports+=("$port")
  port=$((port + 1))
done
warm_up "$path" "${ports[@]}"

# Prints "thread-name nanoseconds" for each thread of a process.
threads() {
  for task in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$task/comm" 2>/dev/null)" "$(cut -d' ' -f1 "$task/schedstat" 2>/dev/null)"
  done
}

for r in $(seq 1 "$rounds"); do
  for i in "${!ports[@]}"; do
    threads "${pids[$i]}" >"$work/before"
    requests=$(pinned_load wrk -t2 -c32 -d"${seconds}s" -H 'X-Tenant-ID: acme' "http://127.0.0.1:${ports[$i]}$path" |
      awk '/requests in/ {print $1}')
    threads "${pids[$i]}" >"$work/after"
    # one line per round and configuration: name requests group=µs...
    python3 - "$work/before" "$work/after" "${names[$i]}" "$requests" <<'PY' | tee -a "$work/rounds"
import re, sys
def read(path):
    # threads that share a name are told apart by their order within the snapshot
    out, seen = {}, {}
    for line in open(path):
        name, _, ns = line.rstrip("\n").partition("\t")
        if ns:
            seen[name] = seen.get(name, 0) + 1
            out[(name, seen[name])] = int(ns)
    return out
before, after = read(sys.argv[1]), read(sys.argv[2])
requests = int(sys.argv[4])
groups = {}
for key, ns in after.items():
    group = re.sub(r"\d+", "N", key[0])
    groups[group] = groups.get(group, 0) + ns - before.get(key, 0)
print(sys.argv[3], requests, " ".join(f"{g.replace(' ', '_')}={ns / 1000 / requests:.3f}"
                                      for g, ns in sorted(groups.items()) if ns > 0))
PY
  done
done

python3 - "$work/rounds" "$seconds" "${names[@]}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
seconds, names = float(sys.argv[2]), sys.argv[3:]
per = {n: [r for r in rows if r[0] == n] for n in names}
groups = sorted({kv.split("=")[0] for r in rows for kv in r[2:]})
def median(name, group):
    values = [float(dict(kv.split("=") for kv in r[2:]).get(group, 0)) for r in per[name]]
    return statistics.median(values)
totals = {n: statistics.median(sum(float(kv.split("=")[1]) for kv in r[2:]) for r in per[n]) for n in names}
print("median µs of CPU per request; requests/s: " + ", ".join(
    f"{n} {statistics.median(int(r[1]) for r in per[n]) / seconds:.0f}" for n in names))
print("| threads | " + " | ".join(names) + " |")
print("|---|" + "---|" * len(names))
for g in sorted(groups, key=lambda g: -max(median(n, g) for n in names)):
    values = [median(n, g) for n in names]
    if max(values) >= 0.05:
        print(f"| {g.replace('_', ' ')} | " + " | ".join(f"{v:.2f}" for v in values) + " |")
print("| all threads | " + " | ".join(f"{totals[n]:.1f}" for n in names) + " |")
PY
