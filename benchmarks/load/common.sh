# Shared by the load scripts, which source it from the repository's root.

# The sample's executable jar (build it with ./mvnw -q -pl sample-app -am clean package -DskipTests).
sample_jar() {
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

# Requests per second from wrk's report on standard input.
requests_per_second() {
  awk '/Requests\/sec/ {print $2}'
}
