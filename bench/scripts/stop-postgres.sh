#!/usr/bin/env bash
# stop-postgres.sh DIR: stops the cluster start-postgres.sh started in DIR (its files stay).
set -euo pipefail
DIR=$(cd "$1" && pwd)
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
as=()
[ "$(id -u)" = 0 ] && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
"${as[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
