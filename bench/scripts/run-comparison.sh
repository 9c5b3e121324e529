#!/usr/bin/env bash
# run-comparison.sh [RESULTS_DIR]
#
# Runs the four scenarios of issue 7 against Parley, Prosody 0.12 and ejabberd 23.01 (Debian
# packages), one server at a time on this machine, each on its own loopback address, with
# 10,000 users created in bulk; every scenario gets a freshly started server. Then writes the
# figures tables of docs/benchmarks.md (render-benchmarks.py). Every run is bounded.
#
#   apt-get install -y prosody ejabberd openssl      # once
#   mvn -q -DskipTests package                       # builds server and bench
#   bench/scripts/run-comparison.sh
#
# Environment (defaults):
#   SERVERS="parley prosody ejabberd"   SCENARIOS="login_plain login_starttls idle_tls chat presence"
#   C2S_PORT=15222  (not 5222: a wildcard 0.0.0.0:5222 listener, e.g. a system Prosody, would
#                    block every loopback address)
#   BENCH_USERS=10000 LOGIN_USERS=10000 LOGIN_RATE=2000 TLS_USERS=2000 TLS_RATE=500
#   WARMUP_USERS=1000 (log in and out before login_* and idle_tls are measured)
#   IDLE_USERS=5000 IDLE_HOLD=60 CHAT_USERS=2000 CHAT_RATE=2000 CHAT_SECONDS=20 SEARCH_STEP_SECONDS=8
#   CHAT_WARMUP_MAX_SECONDS=180 (chat's warm-up at CHAT_RATE ends once the server's JIT compilers
#                    took under 5 % of a core in a 5 s step, or after this long; 5: one step only)
#   PRESENCE_USERS=1000 STATUS_RATE=200   PARLEY_MECHANISM=SCRAM-SHA-1 PEER_MECHANISM=PLAIN
#   muc50, muc500 (not in the default list: group chat, issue 14; each server's service is
#   conference.<its domain>): MUC50_ROOMS=20 MUC500_ROOMS=2 JOIN_RATE=500 MUC_RATE=10000 (deliveries/s)
#   MUC_SECONDS=20
#   mam_page (Parley only, not in the default list: the archive is filled through Parley's store):
#   ARCHIVE_MESSAGES=100000 MAM_QUERIES=500 MAM_WARMUP=100
#   KEEP_ARCHIVE=1 keeps Parley's archive index and journal from run to run (by default each run
#   starts on an empty archive; mam_page fills its own)
#   PARLEY_ROSTER=--roster (or --no-roster for a Parley build without rosters)
#   BENCH_JAVA_OPTS="-Xmx2g"  PARLEY_JAVA_OPTS="-Xmx1g" (after bin/parley's own JVM defaults)
#   PARLEY_PROFILE=large (bin/parley's profile for thousands of users; small is its default)
#   PARLEY_TLS_PROVIDER=auto (openssl, jdk)  PARLEY_JFR=1 records a JFR per Parley run
#   UPDATE_DOCS=1 rewrites the tables in docs/benchmarks.md
#   Parley on PostgreSQL and as a cluster (issue 16; not in the default list, run with UPDATE_DOCS=0):
#   SERVERS="parley parley-pg parley-cluster3". parley-pg: one node on a throw-away PostgreSQL
#   (start-postgres.sh, on 127.0.0.1:$PG_PORT, default 15432, in $BASE/postgres); parley-cluster3:
#   three nodes on 127.0.0.5-7 sharing that database, the users spread over them in turn (user n on
#   node (n - 1) mod 3: two messages in three cross nodes). The bench samples node 1 (its CPU and
#   RSS); the summary line after each run gives the CPU seconds of all the server's processes.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The project's peer scripts (Prosody, ejabberd), shared with the federation interop tests.
PEERS="$(cd "$HERE/../../s2s-federation/src/test/peers" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RESULTS=${1:-${TMPDIR:-/tmp}/parley-bench/results-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
BASE=${TMPDIR:-/tmp}/parley-bench
export PEERS_BASE="$BASE/peers"
export C2S_PORT=${C2S_PORT:-15222} S2S_PORT=${S2S_PORT:-15269} HTTP_PORT=${HTTP_PORT:-15280}
export PROSODY_LOGLEVEL=warn EJABBERD_LOGLEVEL=warning
export BENCH_USERS=${BENCH_USERS:-10000}
SERVERS=${SERVERS:-parley prosody ejabberd}
SCENARIOS=${SCENARIOS:-login_plain login_starttls idle_tls chat presence}
BENCH_JAR=$(ls "$ROOT"/bench/target/parley-bench-*.jar 2>/dev/null | head -n1)
[ -n "$BENCH_JAR" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
PARLEY_DIR="$BASE/parley"
PG_DIR="$BASE/postgres"
CLUSTER_IPS=(127.0.0.5 127.0.0.6 127.0.0.7)
NODES=""

postgres_storage() {  # starts the throw-away PostgreSQL once; prints the storage: section
  mkdir -p "$BASE" && chmod go+x "$BASE"
  "$HERE/start-postgres.sh" "$PG_DIR" "${PG_PORT:-15432}"
}

parley_options() {  # parley_options SCENARIO: sets OPTS and EXTRA for start-parley.sh
  OPTS=${PARLEY_JAVA_OPTS:--Xmx1g}
  # A JVM that dumps a class archive at exit records no JFR: no CDS for a recorded run.
  [ "${PARLEY_JFR:-0}" = 1 ] && OPTS="$OPTS -XX:StartFlightRecording=filename=$RESULTS/parley-$1.jfr,settings=profile" \
    && export PARLEY_CDS=off
  # The muc scenarios send more than an occupant's default share (muc.messages_per_minute);
  # Prosody and ejabberd have no such limit by default.
  EXTRA=${PARLEY_CONFIG_EXTRA:-}
  case $1 in muc*) EXTRA="$EXTRA"$'\nmuc:\n  messages_per_minute: 1000000' ;; esac
  # mam_page sends its queries back to back on one connection, faster than a client's default
  # read rate (limits.c2s_read_rate, 10 kB/s): the figures would be the throttle's, not the
  # archive's (docs/benchmarks.md, "MAM page latency").
  case $1 in mam_page) EXTRA="$EXTRA"$'\nlimits:\n  c2s_read_rate: 0' ;; esac
}

start_cluster() {  # start_cluster SCENARIO: three nodes on one PostgreSQL database
  local storage members="" ip i=0
  storage=$(postgres_storage) || return 1
  for ip in "${CLUSTER_IPS[@]}"; do members="$members${members:+, }\"$ip:${CLUSTER_PORT:-15701}\""; done
  parley_options "$1"
  NODES=$(IFS=,; echo "${CLUSTER_IPS[*]}")
  for ip in "${CLUSTER_IPS[@]}"; do
    i=$((i + 1))
    # The users are in the shared database once node 1 made them.
    [ $i -gt 1 ] && mkdir -p "$PARLEY_DIR-node$i" && touch "$PARLEY_DIR-node$i/users-$BENCH_USERS"
    PARLEY_CONFIG_EXTRA="$EXTRA"$'\n'"$storage"$'\ns2s:\n  enabled: false\ncluster:\n  enabled: true\n  secret: \"bench\"\n  address: \"'"$ip"$'\"\n  port: '"${CLUSTER_PORT:-15701}"$'\n  members: ['"$members"$']' \
      PARLEY_JAVA_OPTS="$OPTS" "$HERE/start-parley.sh" parley.test "$ip" "$PARLEY_DIR-node$i" || return 1
  done
  HOST=${CLUSTER_IPS[0]}; DOMAIN=parley.test; PID=$(cat "$PARLEY_DIR-node1/parley.pid"); MECH=${PARLEY_MECHANISM:-SCRAM-SHA-1}
  PIDS="$PID $(cat "$PARLEY_DIR-node2/parley.pid") $(cat "$PARLEY_DIR-node3/parley.pid")"
}

cpu_ticks() {  # cpu_ticks PID...: their CPU ticks (utime + stime), summed
  local pid total=0
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

start_server() {  # sets HOST DOMAIN PID MECH, and PIDS (every process of the server)
  PIDS=""
  case $1 in
    parley|parley-pg)
      local archive=0 dir=$PARLEY_DIR storage=""
      [ "$2" = mam_page ] && archive=${ARCHIVE_MESSAGES:-100000}
      parley_options "$2"
      # Each run starts on an empty archive: the index grows by a million copies a chat run, and
      # a grown one costs more CPU per message (its compactions), so runs would not compare.
      # KEEP_ARCHIVE=1 keeps it, to measure a server with a grown archive.
      # mam_page keeps the archive it filled (its marker, archive-N, says so) and otherwise
      # starts from an empty one too: a chat run's messages left in it would be counted.
      if { [ "$2" = mam_page ] && [ ! -e "$dir/archive-$archive" ]; } \
          || { [ "$2" != mam_page ] && [ "${KEEP_ARCHIVE:-0}" != 1 ]; }; then
        rm -rf "$dir/data/mam-archive" "$dir/data/mam-journal" "$dir"/archive-*
      fi
      if [ "$1" = parley-pg ]; then
        storage=$(postgres_storage) || return 1
        dir=$PARLEY_DIR-pg
      fi
      PARLEY_CONFIG_EXTRA="$EXTRA"$'\n'"$storage" ARCHIVE_MESSAGES=$archive PARLEY_JAVA_OPTS="$OPTS" \
        "$HERE/start-parley.sh" parley.test 127.0.0.5 "$dir" || return 1
      HOST=127.0.0.5; DOMAIN=parley.test; PID=$(cat "$dir/parley.pid"); MECH=${PARLEY_MECHANISM:-SCRAM-SHA-1} ;;
    parley-cluster3)
      start_cluster "$2" || return 1 ;;
    prosody)
      "$PEERS/start-prosody.sh" prosody.test 127.0.0.2 >/dev/null || return 1
      "$PEERS/prosody-bulk-users.sh" prosody.test user "$BENCH_USERS" pw >/dev/null
      HOST=127.0.0.2; DOMAIN=prosody.test; PID=$(cat "$PEERS_BASE/prosody-prosody.test/prosody.pid"); MECH=${PEER_MECHANISM:-PLAIN} ;;
    ejabberd)
      "$PEERS/start-ejabberd.sh" ejabberd.test 127.0.0.3 >/dev/null || return 1
      if [ ! -f "$PEERS_BASE/ejabberd-ejabberd.test/users-$BENCH_USERS" ]; then
        "$PEERS/ejabberd-bulk-users.sh" ejabberd.test user "$BENCH_USERS" pw >/dev/null \
          && touch "$PEERS_BASE/ejabberd-ejabberd.test/users-$BENCH_USERS"
      fi
      HOST=127.0.0.3; DOMAIN=ejabberd.test; PID=$(cat "$PEERS_BASE/ejabberd-ejabberd.test/ejabberd.pid"); MECH=${PEER_MECHANISM:-PLAIN} ;;
  esac
}

stop_server() {
  case $1 in
    parley)   "$HERE/stop-parley.sh" "$PARLEY_DIR" >/dev/null 2>&1 ;;
    parley-pg) "$HERE/stop-parley.sh" "$PARLEY_DIR-pg" >/dev/null 2>&1 ;;
    parley-cluster3)
      for i in 1 2 3; do "$HERE/stop-parley.sh" "$PARLEY_DIR-node$i" >/dev/null 2>&1; done ;;
    prosody)  "$PEERS/stop-prosody.sh" prosody.test >/dev/null 2>&1 ;;
    ejabberd) "$PEERS/stop-ejabberd.sh" ejabberd.test >/dev/null 2>&1 ;;
  esac
}

scenario_args() {
  case $1 in
    login_plain)    echo "login --users ${LOGIN_USERS:-10000} --rate ${LOGIN_RATE:-2000} --warmup ${WARMUP_USERS:-1000}" ;;
    login_starttls) echo "login --starttls --users ${TLS_USERS:-2000} --rate ${TLS_RATE:-500} --warmup ${WARMUP_USERS:-1000}" ;;
    idle_tls)       echo "idle --users ${IDLE_USERS:-5000} --rate ${TLS_RATE:-500} --warmup ${WARMUP_USERS:-1000} --settle 20 --hold ${IDLE_HOLD:-60}" ;;
    chat)           echo "chat --users ${CHAT_USERS:-2000} --login-rate 1000 --rate ${CHAT_RATE:-2000} --seconds ${CHAT_SECONDS:-20} --search-step-seconds ${SEARCH_STEP_SECONDS:-8} --warmup-max-seconds ${CHAT_WARMUP_MAX_SECONDS:-180}" ;;
    mam_page)       echo "mam --queries ${MAM_QUERIES:-500} --warmup ${MAM_WARMUP:-100} --page 50" ;;
    muc50)          echo "muc --rooms ${MUC50_ROOMS:-20} --occupants 50 --join-rate ${JOIN_RATE:-500} --rate ${MUC_RATE:-10000} --seconds ${MUC_SECONDS:-20} --search-step-seconds ${SEARCH_STEP_SECONDS:-8}" ;;
    muc500)         echo "muc --rooms ${MUC500_ROOMS:-2} --occupants 500 --join-rate ${JOIN_RATE:-500} --rate ${MUC_RATE:-10000} --seconds ${MUC_SECONDS:-20} --search-step-seconds ${SEARCH_STEP_SECONDS:-8}" ;;
    presence)       echo "presence --users ${PRESENCE_USERS:-1000} --contacts 20 --login-rate 500 --status-rate ${STATUS_RATE:-200} --seconds 20" ;;
  esac
}

for srv in $SERVERS; do
  for sc in $SCENARIOS; do
    if [ "$sc" = mam_page ] && [ "$srv" != parley ]; then
      echo "impl=$srv scenario=$sc skipped: the archive is filled through Parley's store" | tee -a "$RESULTS/summary.txt"
      continue
    fi
    stop_server "$srv"
    start_server "$srv" "$sc" || { echo "impl=$srv scenario=$sc could not start the server" | tee -a "$RESULTS/summary.txt"; continue; }
    sleep 3   # let the fresh server settle before its idle RSS is read
    roster="" nodes=""
    case $srv in parley*) roster=${PARLEY_ROSTER:---roster} ;; esac
    [ "$srv" = parley-cluster3 ] && nodes="--nodes $NODES"
    [ -n "$PIDS" ] || PIDS=$PID
    # shellcheck disable=SC2086
    ticks=$(cpu_ticks $PIDS)
    # shellcheck disable=SC2046,SC2086
    line=$(timeout 600 java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" im.parley.bench.BenchMain \
      $(scenario_args "$sc") --server "$srv" --host "$HOST" --port "$C2S_PORT" --domain "$DOMAIN" --pid "$PID" \
      --mechanism "$MECH" $roster $nodes --out "$RESULTS" 2>"$RESULTS/$srv-$sc.log" | tail -n 1)
    echo "$line" | tee -a "$RESULTS/summary.txt"
    # shellcheck disable=SC2086
    echo "impl=$srv scenario=$sc server_cpu_s_whole_run=$(awk -v a="$ticks" -v b="$(cpu_ticks $PIDS)" \
      -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }') processes=$(echo $PIDS | wc -w)" \
      | tee -a "$RESULTS/summary.txt"
    stop_server "$srv"
    sleep 3   # TIME_WAIT sockets and CPU settle
  done
done
case " $SERVERS " in *" parley-pg "*|*" parley-cluster3 "*) "$HERE/stop-postgres.sh" "$PG_DIR" >/dev/null 2>&1 ;; esac
python3 "$HERE/render-benchmarks.py" "$RESULTS" > "$RESULTS/tables.md"
if [ "${UPDATE_DOCS:-1}" = 1 ]; then
  python3 "$HERE/render-benchmarks.py" "$RESULTS" --update "$ROOT/docs/benchmarks.md"
fi
echo "results in $RESULTS"
