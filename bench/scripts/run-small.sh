#!/usr/bin/env bash
# run-small.sh [RESULTS_DIR]
#
# The small-install benchmark of issue 19: starts Parley the way a user does (`bin/parley run`
# in a fresh directory, on the embedded defaults; parley.yml there only moves the ports) and
# Prosody 0.12 (Debian package, started as start-prosody.sh does it), one at a time, and prints
# for each: milliseconds from the exec to an accepting c2s port, to the first login answered
# (STARTTLS, SASL PLAIN, bind), the server's CPU seconds until then, its RSS idle after the start,
# and its RSS after MINUTES with USERS users logged in chatting (bench `small` subcommand).
# Parley runs twice: a first start on an empty data_dir (no account yet, so no login; it
# generates the certificate and creates the database), then a restart after users were created.
#
#   mvn -q -DskipTests package                       # builds server and bench
#   bench/scripts/run-small.sh                       # a quick run: 1 minute of chat
#   MINUTES=60 bench/scripts/run-small.sh            # the one-hour figure
#
# Environment (defaults):
#   SERVERS="parley prosody"  USERS=5  MINUTES=1  MESSAGE_SECONDS=10  SETTLE=10  ROUNDS=1
#   C2S_PORT=15322 (Parley's direct TLS, HTTP: 15323, 15380; Prosody's s2s, HTTP: 15369, 15380)
#   PARLEY_JAVA_OPTS  (JAVA_OPTS for bin/parley, after its own defaults; empty: its defaults)
#   PARLEY_PROFILE    (bin/parley's profile: small by default, large)
#   BENCH_JAVA_OPTS="-Xmx256m"
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS="$(cd "$HERE/../../s2s-federation/src/test/peers" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RESULTS=${1:-${TMPDIR:-/tmp}/parley-bench/small-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS="$(cd "$RESULTS" && pwd)"
BASE=${TMPDIR:-/tmp}/parley-bench
export PEERS_BASE="$BASE/peers"
C2S_PORT=${C2S_PORT:-15322}
USERS=${USERS:-5} MINUTES=${MINUTES:-1} MESSAGE_SECONDS=${MESSAGE_SECONDS:-10} SETTLE=${SETTLE:-10}
SERVERS=${SERVERS:-parley prosody}
ROUNDS=${ROUNDS:-1}
BENCH_JAR=$(ls "$ROOT"/bench/target/parley-bench-*.jar 2>/dev/null | head -n1)
[ -n "$BENCH_JAR" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }

bench() {  # bench LABEL SCENARIO_ARGS... -- COMMAND...
  local label=$1; shift
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:--Xmx256m} -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" im.parley.bench.BenchMain small \
    --out "$RESULTS/$label" --settle "$SETTLE" --minutes "$MINUTES" --message-seconds "$MESSAGE_SECONDS" \
    --sources 0 --port "$C2S_PORT" "$@" 2>"$RESULTS/$label.log" | tail -n 1 | sed "s/^/$label: /" \
    | tee -a "$RESULTS/summary.txt"
}

parley() {
  local dir="$BASE/small-parley-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  cat > "$dir/parley.yml" <<YML
c2s:
  port: $C2S_PORT
direct_tls:
  port: $((C2S_PORT + 1))
http:
  port: $((C2S_PORT + 58))
YML
  local env=(env JAVA_OPTS="${PARLEY_JAVA_OPTS:-}")
  [ -n "${PARLEY_PROFILE:-}" ] && env+=(PARLEY_PROFILE="$PARLEY_PROFILE")
  bench "parley-first-start-$1" --server parley --domain localhost --users 0 --dir "$dir" \
    --log "$dir/console.log" -- "${env[@]}" "$ROOT/bin/parley" run
  # In the server's directory: data_dir is ./data there.
  (cd "$dir" && java -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" im.parley.bench.BenchMain create-parley-users \
    --config parley.yml --domain localhost --count "$USERS" --password pw >"$RESULTS/create-users.log" 2>&1)
  bench "parley-$1" --server parley --domain localhost --users "$USERS" --dir "$dir" \
    --log "$dir/console.log" -- "${env[@]}" "$ROOT/bin/parley" run
}

prosody() {
  local dir="$PEERS_BASE/prosody-prosody.test"
  # start-prosody.sh writes the config and certificate; the measured start execs Prosody as it does.
  C2S_PORT=$C2S_PORT S2S_PORT=$((C2S_PORT + 47)) HTTP_PORT=$((C2S_PORT + 58)) PROSODY_LOGLEVEL=warn \
    "$PEERS/start-prosody.sh" prosody.test 127.0.0.2 >/dev/null 2>&1 || { echo "prosody: cannot start" >&2; return 1; }
  "$PEERS/stop-prosody.sh" prosody.test >/dev/null 2>&1
  "$PEERS/prosody-bulk-users.sh" prosody.test user "$USERS" pw >/dev/null
  bench "prosody-$1" --server prosody --host 127.0.0.2 --domain prosody.test --users "$USERS" --dir "$dir" \
    --log "$dir/console.log" -- prosody --config "$dir/prosody.cfg.lua" -F
}

for round in $(seq 1 "$ROUNDS"); do
  for srv in $SERVERS; do
    "$srv" "$round"
  done
done
echo "results in $RESULTS"
