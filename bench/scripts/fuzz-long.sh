#!/usr/bin/env bash
# fuzz-long.sh [-t DURATION] [-d DIR] [TARGET...]
#
# Fuzzes Parley's parsers for as long as you like (docs/security.md, "Fuzzing"): each TARGET, a
# fuzz test class (XmppStreamDecoderFuzzTest, SaslMechanismsFuzzTest, BoshBodyFuzzTest,
# XmppFramingDecoderFuzzTest, InboundStreamFuzzTest, ... any *FuzzTest), or all of them when none
# is named, one after the other, each for DURATION in a JVM of its own. It runs the same Maven
# profile as the short run in CI (`fuzz` in the parent pom), with the corpus kept in DIR, outside
# the repository, so every run starts where the last one stopped.
#
#   bench/scripts/fuzz-long.sh                          # every target, 10 minutes each
#   bench/scripts/fuzz-long.sh -t 8h XmppStreamDecoderFuzzTest
#
#   -t DURATION  per target, as Jazzer reads it: 30s, 10m, 8h (default 10m)
#   -d DIR       corpus and findings (default ${XDG_CACHE_HOME:-~/.cache}/parley-fuzz)
#
# What it leaves in DIR:
#   .cifuzz-corpus/<class>/<method>/   the corpus the fuzzer built (inputs that found new coverage)
#   crash-<sha1>, timeout-<sha1>, ...  a finding: the input, named in the log ("Test unit written to")
#   <module>-<date>.log                Maven's and libFuzzer's output
# A finding stops its target's run and the script goes on with the next; it exits 1 if any target
# found something. To reproduce a finding, copy the file into the target's seed directory
# (src/test/resources/<package>/<Class>Inputs/<method>/) and run the test class: every seed runs
# as a regression test in `mvn verify`.
#
# Environment: NICE=10 (the niceness of the Maven build and the fuzzing JVMs), MVN_ARGS (extra
# Maven arguments, e.g. -Djazzer.keep_going=10 to go on after a finding).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION=10m
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/parley-fuzz"
while getopts "t:d:h" option; do
  case "$option" in
    t) DURATION="$OPTARG" ;;
    d) DIR="$OPTARG" ;;
    *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

# Every fuzz test, as "module class".
mapfile -t ALL < <(cd "$ROOT" && find . -path '*/src/test/java/*' -name '*FuzzTest.java' \
  | sed -E 's|^\./([^/]+)/src/test/java/.*/([^/]+)\.java$|\1 \2|' | sort)
if [ "$#" -eq 0 ]; then
  SELECTED=("${ALL[@]}")
else
  SELECTED=()
  for target in "$@"; do
    match=$(printf '%s\n' "${ALL[@]}" | awk -v t="$target" '$2 == t')
    [ -n "$match" ] || { echo "no fuzz test named $target; there are: $(printf '%s\n' "${ALL[@]}" | awk '{print $2}' | tr '\n' ' ')" >&2; exit 2; }
    SELECTED+=("$match")
  done
fi

# One Maven run per module: it builds the module (and what it needs) once, then fuzzes its
# selected classes one after the other.
status=0
for module in $(printf '%s\n' "${SELECTED[@]}" | awk '{print $1}' | sort -u); do
  classes=$(printf '%s\n' "${SELECTED[@]}" | awk -v m="$module" '$1 == m {print $2}' | paste -sd, -)
  log="$DIR/$module-$(date +%Y%m%d-%H%M%S).log"
  echo "fuzzing $classes for $DURATION each; log: $log"
  # -Dtest names the classes so the module's other tests do not run (their seeds run first as
  # regression tests, then each class is fuzzed).
  if ! (cd "$ROOT" && nice -n "${NICE:-10}" mvn -B -pl "$module" -am -Pfuzz \
        -Dtest="$classes" -Dsurefire.failIfNoSpecifiedTests=false \
        -Dparley.fuzz.tests="$classes" -Dparley.fuzz.duration="$DURATION" -Dparley.fuzz.dir="$DIR" \
        ${MVN_ARGS:-} verify) > "$log" 2>&1; then
    status=1
  fi
  # Per class: executions, final coverage and any finding, from libFuzzer's own lines.
  awk '/Running im\.parley\..*FuzzTest$/ {name=$NF}
       /^Done [0-9]+ runs in/ {print "  " name ": " $2 " executions in " $5 " s"}
       /Test unit written to/ {print "  " name ": FINDING " $NF}' "$log"
done
exit "$status"
