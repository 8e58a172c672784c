#!/usr/bin/env bash
# Committed heap under memory pressure with the adaptive heap target at its default 10 s
# period: runs the test suite's HeapShrinkChildMain (400 MB heap, 100 MB live, 256 MB/s of
# garbage from half a core) once per collector, 60 s of pressure written to a PSI file, and
# prints what each child reported. Run from the repository's root after
#   ./mvnw -q -pl autoconfigure -am test-compile
# JAVA names the java to run (default: java on PATH), e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java;
# COLLECTORS picks some of "zgc g1 shenandoah"; UNCOMMIT_DELAY is ZGC's and Shenandoah's, in seconds (5).
set -euo pipefail
java=${JAVA:-java}
period=${PERIOD:-10s}
pressure=${PRESSURE:-60s}
collectors=${COLLECTORS:-zgc g1 shenandoah}
delay=${UNCOMMIT_DELAY:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q -pl autoconfigure dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >/dev/null
cp="autoconfigure/target/test-classes:autoconfigure/target/classes:$(cat "$work/cp")"
heap=(-Xmx400m -XX:InitialHeapSize=390m)
run() {
  local name=$1
  shift
  if ! "$java" "$@" -version >/dev/null 2>&1; then
    echo "$name: not in this JDK"
    return
  fi
  case " $collectors " in *" $name "*) ;; *) return ;; esac
  "$java" "$@" "${heap[@]}" -Xlog:gc:file="$work/$name.gc.log" -cp "$cp" dev.diagkit.memory.HeapShrinkChildMain "$work/$name.properties" \
    "$work/$name.pressure" "$period" "$pressure" >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; return 1; }
  echo "== $name ($("$java" -version 2>&1 | head -n 1))"
  grep -v '^#' "$work/$name.properties" | grep -v '^timeline=' | sort
  grep '^timeline=' "$work/$name.properties" | tr ' ' '\n' | awk -F'[:/]' 'NR % 20 == 1 {printf "%s ", $0} END {print ""}'
  # the collections the G1 lever runs
  grep -h 'Pause Full\|Diagnostic Command' "$work/$name.gc.log" | head -n 5 || true
}
run zgc -XX:+UseZGC -XX:ZUncommitDelay="$delay"
run g1 -XX:+UseG1GC
run shenandoah -XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions -XX:ShenandoahUncommitDelay="${delay}000"
