#!/usr/bin/env bash
# run-archive-cost.sh [RESULTS_DIR]
#
# Issue 13: what the message archive costs the chat scenario, the two ways it is measured.
#
# 1. The target itself: the highest clean chat rate with the archive on (the default) against the
#    same with it off (modules.disabled: [mam]), each a rate search of run-comparison.sh, ROUNDS
#    times in alternation (one search resolves a rate to about 15 %; the runs spread further,
#    so the medians are what to quote). Prints every search and the medians' ratio against 80 %.
# 2. Where the CPU goes (THREADS=1): one run per variant at a fixed CHAT_RATE (default 8,000/s),
#    WINDOW_START + WINDOW seconds of chat, and the server's CPU per thread kind from WINDOW_START
#    seconds in (after the logins and the warm-up) until the server is idle after the chat (the
#    archive's last flushes and compactions included: a fixed window took a large compaction or
#    not, and the same build varied by a quarter), per message sent meanwhile, from
#    /proc/PID/task/*/stat. This also counts RocksDB's own threads (rocksdb:low for compactions,
#    rocksdb:high for flushes), which a JVM profiler (JFR, async-profiler) does not see.
#
#   mvn -q -DskipTests package
#   ROUNDS=3 bench/scripts/run-archive-cost.sh
#
# Environment (defaults): ROUNDS=3 SEARCHES=1 (0: skip part 1) THREADS=0 CHAT_RATE=8000
# WINDOW_START=22 WINDOW=30 SETTLE_MAX=120 BENCH_USERS=2000 CHAT_USERS=2000, and run-comparison.sh's variables.
# Writes RESULTS_DIR/archive-cost.txt.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RESULTS=${1:-${TMPDIR:-/tmp}/parley-bench/archive-cost-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
ROUNDS=${ROUNDS:-3}
export BENCH_USERS=${BENCH_USERS:-2000} CHAT_USERS=${CHAT_USERS:-2000} UPDATE_DOCS=0 SERVERS=parley SCENARIOS=chat
export C2S_PORT=${C2S_PORT:-15222} HTTP_PORT=${HTTP_PORT:-15280}
OFF=$'modules:\n  disabled: [mam]'
TABLE="$RESULTS/archive-cost.txt"

extra() {  # extra VARIANT: the YAML that makes it
  [ "$1" = off ] && printf '%s' "$OFF"
}

if [ "${SEARCHES:-1}" = 1 ]; then
  for round in $(seq 1 "$ROUNDS"); do
    for variant in on off; do
      dir="$RESULTS/search-$variant-$round"
      PARLEY_CONFIG_EXTRA="$(extra "$variant")" "$HERE/run-comparison.sh" "$dir" > "$dir.log" 2>&1
      python3 - "$variant" "$dir/parley-chat.json" <<'PY' | tee -a "$TABLE"
import json, sys
r = json.load(open(sys.argv[2]))
steps = " ".join(f"{int(s['rate'])}:{s.get('latency_p99_ms')}ms" for s in r.get("search", []))
print(f"search\t{sys.argv[1]}\thighest_clean_rate={r.get('highest_clean_rate')}\tsteps={steps}")
PY
    done
  done
  python3 - "$TABLE" <<'PY' | tee -a "$TABLE"
import statistics, sys
rates = {"on": [], "off": []}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "search":
        rates[f[1]].append(float(f[2].split("=")[1]))
if rates["on"] and rates["off"]:
    on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
    print(f"median highest clean rate: archive on {on:.0f}/s, off {off:.0f}/s: {100 * on / off:.0f} % "
          f"(target 80 %)")
PY
fi

# threads PID: "tid name ticks" for every thread of the process (user + system, in clock ticks)
threads() {
  for task in /proc/"$1"/task/*; do
    local stat rest
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    rest=${stat##*) }
    # shellcheck disable=SC2086
    set -- $rest
    echo "${task##*/} $(tr ' ' '_' < "$task/comm") $(( ${12} + ${13} ))"
  done
}

if [ "${THREADS:-0}" = 1 ]; then
  BENCH_JAR=$(ls "$ROOT"/bench/target/parley-bench-*.jar | head -n1)
  rate=${CHAT_RATE:-8000}; start=${WINDOW_START:-22}; window=${WINDOW:-30}
  for variant in on off; do
    dir="$RESULTS/threads-$variant"
    rm -rf "$dir/data/mam-archive" "$dir/data/mam-journal"
    PARLEY_CONFIG_EXTRA="$(extra "$variant")" "$HERE/start-parley.sh" parley.test 127.0.0.5 "$dir" > "$dir.log" 2>&1 \
      || { echo "parley did not start: $dir.log" >&2; continue; }
    pid=$(cat "$dir/parley.pid")
    java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" im.parley.bench.BenchMain chat \
      --users "$CHAT_USERS" --login-rate 1000 --rate "$rate" --seconds $((start + window)) --search-step-seconds 0 \
      --warmup-max-seconds 0 \
      --server parley --host 127.0.0.5 --port "$C2S_PORT" --domain parley.test --pid "$pid" \
      --mechanism SCRAM-SHA-1 --roster --out "$dir" > "$dir.bench.log" 2>&1 &
    bench=$!
    sleep "$start"
    threads "$pid" > "$dir.before"
    before_ms=$(date +%s%3N)
    wait "$bench"
    # The archive's work outlives the chat (the indexer's last batches, RocksDB's flushes and
    # compactions): the window ends once the server has been idle for two seconds in a row (at
    # most SETTLE_MAX seconds), so a large compaction counts whether it runs before the end or after.
    settled=0
    for _ in $(seq 1 "${SETTLE_MAX:-120}"); do
      a=$(threads "$pid" | awk '{ t += $3 } END { print t }'); sleep 1
      b=$(threads "$pid" | awk '{ t += $3 } END { print t }')
      if [ $((b - a)) -le 2 ]; then settled=$((settled + 1)); else settled=0; fi
      [ "$settled" -ge 2 ] && break
    done
    threads "$pid" > "$dir.after"
    # The messages sent after the first sample: the chat's start and length from its results.
    sent=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))
end = r["slow_seconds_start_epoch_ms"] + 1000 * int(sys.argv[3])
print(int(r["rate"] * max(0, end - max(int(sys.argv[2]), r["slow_seconds_start_epoch_ms"])) / 1000))' \
      "$dir/parley-chat.json" "$before_ms" $((start + window)))
    "$HERE/stop-parley.sh" "$dir" >> "$dir.log" 2>&1
    python3 - "$variant" "$rate" "$sent" "$dir.before" "$dir.after" "$(getconf CLK_TCK)" <<'PY' | tee -a "$TABLE"
import collections, re, sys
variant, rate, sent, before, after, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), *sys.argv[4:6], float(sys.argv[6])
def load(path):
    return {f[0]: (f[1], int(f[2])) for f in (line.split() for line in open(path))}
b, a = load(before), load(after)
kinds = collections.Counter()
for tid, (name, ticks) in a.items():
    kinds[re.sub(r"[-#]?\d+$", "", name)] += ticks - b.get(tid, (name, 0))[1]
total = sum(kinds.values())
parts = " ".join(f"{k}={v / hz:.2f}" for k, v in kinds.most_common() if v > 0)
print(f"threads\t{variant}\t{rate:.0f}/s\tserver_cpu_s={total / hz:.2f}\t"
      f"messages={sent:.0f}\tus_per_message={1e6 * total / hz / sent:.1f}\t{parts}")
PY
  done
fi
echo "results in $RESULTS"
