#!/usr/bin/env bash
# run-soak.sh [RESULTS_DIR]
#
# The soak of issue 17 item 7: 30 minutes (after 5 of warm-up) of mixed load with
# unauthenticated churn against Parley started as a user starts it, then a verdict on whether the
# server's heap after GC and its RSS stayed flat (docs/benchmarks.md, "Soak").
#
# Parley runs through bin/parley with the JVM defaults it ships and no JAVA_OPTS, on a fresh
# data_dir, with the embedded defaults (STARTTLS required, every limit at its default) plus the
# listeners the soak needs: c2s, direct TLS and HTTP (BOSH, WebSocket), on one loopback address.
# Server and load generator run under `nice` (the machine may be shared).
#
#   mvn -q -DskipTests package          # builds server and bench
#   bench/scripts/run-soak.sh
#
# Environment (defaults):
#   SOAK_MINUTES=30 WARMUP_MINUTES=5 SAMPLE_SECONDS=5   NICE=10
#   USERS=2000 ONLINE=300 SESSION_SECONDS=60 CHAT_RATE=100 OFFLINE_SHARE=0.2 PRESENCE_RATE=10
#   IQ_RATE=20 SM_SHARE=0.5 CONTACTS=8 CHURN_RATE=30 CHURN_SOURCES=65024
#   HOST=127.0.0.6 C2S_PORT=15222 DIRECT_TLS_PORT=15223 HTTP_PORT=15280 DOMAIN=soak.test
#   PARLEY_JAVA_OPTS=""  (after bin/parley's own defaults)   BENCH_JAVA_OPTS="-Xmx1g"
#   SOAK_EXTRA="" (more options for BenchMain soak, e.g. "--heap-slope-mb-per-h 5")
#   NMT=0  (1: the server runs with -XX:NativeMemoryTracking=summary; a baseline is taken at the
#           end of the warm-up and its diff every 5 minutes, with RSS, into nmt.txt: which of the
#           JVM's native pools grew, and how much of RSS no pool accounts for, i.e. malloc outside
#           the JVM such as BoringSSL's)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The project's peer scripts hold the shell helpers (log, die, wait_listen, ...).
PEERS="$(cd "$HERE/../../s2s-federation/src/test/peers" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$PEERS/common.sh"
RESULTS=${1:-${TMPDIR:-/tmp}/parley-bench/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS="$(cd "$RESULTS" && pwd)"
HOST=${HOST:-127.0.0.6}; DOMAIN=${DOMAIN:-soak.test}
C2S_PORT=${C2S_PORT:-15222}; DIRECT_TLS_PORT=${DIRECT_TLS_PORT:-15223}; HTTP_PORT=${HTTP_PORT:-15280}
SOAK_MINUTES=${SOAK_MINUTES:-30}; WARMUP_MINUTES=${WARMUP_MINUTES:-5}; NICE=${NICE:-10}
USERS=${USERS:-2000}
BENCH_JAR=$(ls "$ROOT"/bench/target/parley-bench-*.jar 2>/dev/null | head -n1)
[ -n "$BENCH_JAR" ] || die "build first: mvn -q -DskipTests package"
CP="$BENCH_JAR:$ROOT/bench/target/lib/*"
check_loopback_ip "$HOST"
for port in "$C2S_PORT" "$DIRECT_TLS_PORT" "$HTTP_PORT"; do
  port_open "$HOST" "$port" && die "$HOST:$port is already in use"
done

DATADIR="$RESULTS/parley"
rm -rf "$DATADIR"
mkdir -p "$DATADIR"
cat > "$DATADIR/parley.yml" <<YML
domains: ["$DOMAIN"]
data_dir: "$DATADIR/data"
c2s:
  address: "$HOST"
  port: $C2S_PORT
direct_tls:
  address: "$HOST"
  port: $DIRECT_TLS_PORT
http:
  enabled: true
  address: "$HOST"
  port: $HTTP_PORT
YML
java -cp "$CP" im.parley.bench.BenchMain create-parley-users --config "$DATADIR/parley.yml" \
  --domain "$DOMAIN" --count "$USERS" --password pw >&2 || die "could not create the users"

if [ "${NMT:-0}" = 1 ]; then
  PARLEY_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${PARLEY_JAVA_OPTS:-}"
fi

# bin/parley as a user runs it; setsid so that a Ctrl-C here reaches the script, not the server.
JAVA_OPTS="${PARLEY_JAVA_OPTS:-}" nohup setsid nice -n "$NICE" "$ROOT/bin/parley" run \
  --config "$DATADIR/parley.yml" > "$DATADIR/console.log" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$DATADIR/parley.pid"
trap '"$HERE/stop-parley.sh" "$DATADIR" >/dev/null 2>&1' EXIT
wait_listen "$HOST" "$C2S_PORT" 60 "$PID" || { tail -n 30 "$DATADIR/console.log" >&2; die "parley did not start"; }
log "parley up on $HOST (c2s $C2S_PORT, direct TLS $DIRECT_TLS_PORT, HTTP $HTTP_PORT), pid $PID"

{
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MB, $(uname -sr)"
  echo "java: $(java -version 2>&1 | head -n1)"
  echo "parley command line: $(tr '\0' ' ' < "/proc/$PID/cmdline")"
  echo "nice: $NICE (server and generator)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/conditions.txt"

# The database file, once a minute: H2 writes every commit as a new chunk and reuses space only
# after its retention time, so the file has a high-water mark of its own (not heap, not RSS).
( while kill -0 "$PID" 2>/dev/null; do
    echo "$(date -u +%H:%M:%S) $(stat -c %s "$DATADIR/data/parley.mv.db" 2>/dev/null || echo 0)"; sleep 60
  done ) > "$RESULTS/db-size.txt" &
DB_MONITOR=$!

total=$(( (SOAK_MINUTES + WARMUP_MINUTES) * 60 ))
if [ "${NMT:-0}" = 1 ]; then
  ( sleep $((WARMUP_MINUTES * 60))
    jcmd "$PID" VM.native_memory baseline > /dev/null
    while kill -0 "$PID" 2>/dev/null; do
      { echo "=== $(date -u +%H:%M:%S) RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$PID/status")"
        jcmd "$PID" VM.native_memory summary.diff | sed -n '/Total:/,$p' | grep -E 'Total|^-|committed=' | head -n 200
      } >> "$RESULTS/nmt.txt" 2>&1
      sleep 300
    done ) &
  NMT_MONITOR=$!
fi
# shellcheck disable=SC2086
timeout $((total + 900)) nice -n "$NICE" java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$CP" im.parley.bench.BenchMain soak \
  --server parley --host "$HOST" --port "$C2S_PORT" --domain "$DOMAIN" --pid "$PID" --mechanism SCRAM-SHA-1 \
  --direct-tls-port "$DIRECT_TLS_PORT" --http-port "$HTTP_PORT" \
  --users "$USERS" --online "${ONLINE:-300}" --session-seconds "${SESSION_SECONDS:-60}" \
  --chat-rate "${CHAT_RATE:-100}" --offline-share "${OFFLINE_SHARE:-0.2}" --presence-rate "${PRESENCE_RATE:-10}" \
  --iq-rate "${IQ_RATE:-20}" --sm-share "${SM_SHARE:-0.5}" --contacts "${CONTACTS:-8}" \
  --churn-rate "${CHURN_RATE:-30}" --churn-sources "${CHURN_SOURCES:-65024}" \
  --warmup-seconds $((WARMUP_MINUTES * 60)) --seconds $((SOAK_MINUTES * 60)) \
  --sample-seconds "${SAMPLE_SECONDS:-5}" ${SOAK_EXTRA:-} --out "$RESULTS" \
  2> "$RESULTS/bench.log" | tee "$RESULTS/summary.txt"
status=${PIPESTATUS[0]}

{
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "database file: largest $(sort -k2 -n "$RESULTS/db-size.txt" | tail -n1 | cut -d' ' -f2) bytes during the run, $(stat -c %s "$DATADIR/data/parley.mv.db") at its end"
  echo "server log lines: $(wc -l < "$DATADIR/console.log"), WARN: $(grep -c ' WARN ' "$DATADIR/console.log"), ERROR: $(grep -c ' ERROR ' "$DATADIR/console.log")"
} >> "$RESULTS/conditions.txt"
"$HERE/stop-parley.sh" "$DATADIR" >/dev/null 2>&1
kill "$DB_MONITOR" 2>/dev/null
[ -n "${NMT_MONITOR:-}" ] && kill "$NMT_MONITOR" 2>/dev/null
trap - EXIT
echo "database file after shutdown (H2 compacts on close): $(stat -c %s "$DATADIR/data/parley.mv.db") bytes" >> "$RESULTS/conditions.txt"
[ -f "$RESULTS/parley-soak.json" ] && python3 "$HERE/render-soak.py" "$RESULTS/parley-soak.json" > "$RESULTS/soak.md"
cat "$RESULTS/conditions.txt"
echo "results in $RESULTS (soak.md: the tables for docs/benchmarks.md)"
exit "$status"
