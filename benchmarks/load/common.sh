# Shared by the load scripts, which source it from the repository's root.

# The sample's executable jar (build it with ./mvnw -q -pl sample-app -am clean package -DskipTests),
# or $SAMPLE_JAR when set: another build of it, to compare two commits side by side.
sample_jar() {
  if [ -n "${SAMPLE_JAR:-}" ]; then
    echo "$SAMPLE_JAR"
    return
  fi
  ls sample-app/target/diagkit-sample-app-*.jar | grep -v original | head -n 1
}

# Starts the sample in the background with the given command and arguments, logging to $1,
# stops it when the script exits, and waits until $2 answers.
start_sample() {
  local log=$1 ready=$2
  shift 2
  "$@" >"$log" 2>&1 &
  app=$!
  trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true' EXIT
  for _ in $(seq 1 150); do
    curl -fs "$ready" >/dev/null 2>&1 && return
    sleep 0.2
  done
}

# Optional CPU pinning, to keep the load generator off the servers' cores, e.g. SERVER_CPUS=1
# LOAD_CPUS=0: on two cores shared by wrk and the server, rounds of one configuration spread
# by more than the differences being measured. Both run the command in place of the caller
# (exec), so that a background call's $! is the command's own process.
pinned_server() {
  if [ -n "${SERVER_CPUS:-}" ]; then exec taskset -c "$SERVER_CPUS" "$@"; else exec "$@"; fi
}
pinned_load() {
  if [ -n "${LOAD_CPUS:-}" ]; then taskset -c "$LOAD_CPUS" "$@"; else "$@"; fi
}

# Requests per second from wrk's report on standard input.
requests_per_second() {
  awk '/Requests\/sec/ {print $2}'
}

# Starts a sample jar on loopback in the background for a side-by-side run: JVM options, then
# "--", then application arguments; demo traffic, MDC and logging off, its local profile store
# and log under the directory $1. Appends its process to the array "pids".
start_side_by_side() {
  local dir=$1 port=$2
  shift 2
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    jvm+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  pinned_server java -Xmx512m "${jvm[@]}" -jar "$(sample_jar)" --server.port="$port" --spring.profiles.active=same-port \
    --sample.traffic.enabled=false --diagkit.labels.mdc=false --logging.level.root=warn \
    --diagkit.profiling.export.directory.path="$dir/$port" "$@" >"$dir/$port.log" 2>&1 &
  pids+=($!)
}

# Waits until each port ($2…) answers, then warms it up with wrk on the path $1 for 20 s.
warm_up() {
  local path=$1
  shift
  for port in "$@"; do
    for _ in $(seq 1 150); do
      curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break
      sleep 0.2
    done
    pinned_load wrk -t2 -c32 -d20s -H 'X-Tenant-ID: acme' "http://127.0.0.1:$port$path" >/dev/null
  done
}
