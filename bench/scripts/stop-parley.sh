#!/usr/bin/env bash
# stop-parley.sh DATADIR - stops the Parley started by start-parley.sh (TERM, then KILL).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The project's peer scripts (Prosody, ejabberd), shared with the federation interop tests.
PEERS="$(cd "$HERE/../../s2s-federation/src/test/peers" && pwd)"
. "$PEERS/common.sh"
[ $# -eq 1 ] || { sed -n '2p' "$0"; exit 2; }
PIDFILE="$1/parley.pid"
if pid=$(read_pid "$PIDFILE"); then
  kill -TERM "$pid" 2>/dev/null || true
  wait_dead "$pid" 20 || { kill -KILL "$pid" 2>/dev/null || true; wait_dead "$pid" 5; }
  log "parley stopped (pid $pid)"
fi
rm -f "$PIDFILE"
