#!/usr/bin/env bash
# start-parley.sh DOMAIN IP DATADIR
# Starts Parley (built with: mvn -q -DskipTests package) in the background on IP:$C2S_PORT for
# DOMAIN (HTTP on IP:$HTTP_PORT), with STARTTLS offered but not required, data in DATADIR, and users
# user1..user$BENCH_USERS (password pw) created in bulk before the start. Writes DATADIR/parley.pid
# and waits until c2s accepts connections. JVM options: PARLEY_PROFILE (default large: the load
# scenarios serve thousands of users) and PARLEY_JAVA_OPTS; TLS implementation:
# PARLEY_TLS_PROVIDER (auto, openssl or jdk); more YAML for parley.yml: PARLEY_CONFIG_EXTRA.
# ARCHIVE_MESSAGES=N (default 0) also fills user1's message archive with N messages, through the
# archive's store before the start (fill-parley-archive), for the mam scenario.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The project's peer scripts (Prosody, ejabberd), shared with the federation interop tests.
PEERS="$(cd "$HERE/../../s2s-federation/src/test/peers" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$PEERS/common.sh"
[ $# -eq 3 ] || { sed -n '2,6p' "$0"; exit 2; }
DOMAIN=$1; IP=$2; DATADIR=$3
C2S_PORT=${C2S_PORT:-5222}
BENCH_USERS=${BENCH_USERS:-10000}
PARLEY_JAVA_OPTS=${PARLEY_JAVA_OPTS:--Xmx1g}
check_loopback_ip "$IP"
mkdir -p "$DATADIR"
DATADIR="$(cd "$DATADIR" && pwd)"
if pid=$(read_pid "$DATADIR/parley.pid"); then log "parley already running (pid $pid)"; exit 0; fi
port_open "$IP" "$C2S_PORT" && die "$IP:$C2S_PORT is already in use"
cat > "$DATADIR/parley.yml" <<YML
domains: ["$DOMAIN"]
data_dir: "$DATADIR/data"
c2s:
  address: "$IP"
  port: $C2S_PORT
direct_tls:
  enabled: false
http:
  address: "$IP"
  port: ${HTTP_PORT:-5280}
tls:
  starttls_required: false
  provider: ${PARLEY_TLS_PROVIDER:-auto}
${PARLEY_CONFIG_EXTRA:-}
YML
BENCH_JAR=$(ls "$ROOT"/bench/target/parley-bench-*.jar | head -n1)
if [ ! -e "$DATADIR/users-$BENCH_USERS" ]; then
  java -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" im.parley.bench.BenchMain create-parley-users \
    --config "$DATADIR/parley.yml" --domain "$DOMAIN" --count "$BENCH_USERS" --password pw >&2
  touch "$DATADIR/users-$BENCH_USERS"
fi
ARCHIVE_MESSAGES=${ARCHIVE_MESSAGES:-0}
if [ "$ARCHIVE_MESSAGES" -gt 0 ] && [ ! -e "$DATADIR/archive-$ARCHIVE_MESSAGES" ]; then
  java -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" im.parley.bench.BenchMain fill-parley-archive \
    --config "$DATADIR/parley.yml" --domain "$DOMAIN" --messages "$ARCHIVE_MESSAGES" >&2
  touch "$DATADIR/archive-$ARCHIVE_MESSAGES"
fi
# bin/parley with its large-server profile (docs/operations.md), so the figures are those of an
# installation set up for thousands of users.
PARLEY_PROFILE="${PARLEY_PROFILE:-large}" JAVA_OPTS="$PARLEY_JAVA_OPTS" nohup setsid "$ROOT/bin/parley" run --config "$DATADIR/parley.yml" \
  > "$DATADIR/console.log" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$DATADIR/parley.pid"
wait_listen "$IP" "$C2S_PORT" 60 "$PID" || { tail -n 30 "$DATADIR/console.log" >&2; die "parley did not start"; }
log "parley $DOMAIN up on $IP:$C2S_PORT, pid $PID, datadir $DATADIR"
