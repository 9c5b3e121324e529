#!/usr/bin/env bash
# start-postgres.sh DIR PORT
# A throw-away PostgreSQL cluster for the benchmarks (Debian's postgresql package, as the store
# tests use it): initdb in DIR/data (as nobody when run as root: PostgreSQL refuses root),
# listening on 127.0.0.1:PORT only, with PostgreSQL's default durability (fsync and synchronous
# commit on); a role parley with a generated password (DIR/parley.password) owns the database
# parley. Prints the YAML `storage:` section for parley.yml; if it runs already, only that. Stop
# it with stop-postgres.sh DIR.
set -euo pipefail
[ $# -eq 2 ] || { sed -n "2,8p" "$0"; exit 2; }
DIR=$1; PORT=$2
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$BIN/initdb" ] || { echo "no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin: apt-get install postgresql" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
as=()
if [ "$(id -u)" = 0 ]; then
  as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chown nobody:nogroup "$DIR"
  "${as[@]}" test -x "$DIR" || { echo "nobody cannot enter $DIR: choose a directory under a world-searchable one" >&2; exit 1; }
fi
if [ ! -d "$DIR/data" ]; then
  "${as[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-host=scram-sha-256 \
    --auth-local=trust >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
fi
if ! "${as[@]}" "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then  # started once per run
  "${as[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgresql.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PORT -k $DIR -c max_connections=200" start >/dev/null
fi
if [ ! -s "$DIR/parley.password" ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$DIR/parley.password"
  chmod 600 "$DIR/parley.password"
  psql -q -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE parley LOGIN PASSWORD '$(cat "$DIR/parley.password")'" -c "CREATE DATABASE parley OWNER parley" >&2
fi
cat <<YML
storage:
  jdbc_url: "jdbc:postgresql://127.0.0.1:$PORT/parley"
  username: parley
  password_file: "$DIR/parley.password"
YML
