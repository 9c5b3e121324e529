# shellcheck shell=bash
# lib.sh - helpers shared by the browser client scripts in this folder. Sourced.
#
# Common environment (all scripts):
#   XMPP_JID, XMPP_PASSWORD        account of the client under test (required)
#   XMPP_PEER                      the other account (required for most scripts)
#   XMPP_PEER_PASSWORD             its password (default: XMPP_PASSWORD)
#   XMPP_HOST                      server address to connect to (default: JID domain)
#   XMPP_PORT                      c2s port (default 5222; 5223 for directtls)
#   XMPP_TLS                       starttls | none | directtls (default starttls)
#   XMPP_HTTP_URL                  BOSH or WebSocket URL (browser / libpurple BOSH)
#   XMPP_CA_FILE                   PEM to trust (self-signed server cert or test CA)
#   XMPP_INSECURE=1                skip certificate verification where a client allows it
#   XMPP_TIMEOUT                   overall limit in seconds (default 60)
#   XMPP_KEEP=1                    keep the temporary directory (for debugging)
#   XMPP_SKIP_BEFRIEND=1           rosters are already mutual: do not log in as
#                                  XMPP_JID with slixmpp first to set them up

CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEER_PY=(/usr/bin/python3 "$CLIENTS_DIR/xmpp_peer.py")

: "${XMPP_TLS:=starttls}"
: "${XMPP_TIMEOUT:=60}"
export XMPP_TLS XMPP_TIMEOUT

T_START=$(date +%s)
_CLEAN_PIDS=()
_CLEAN_CMDS=()
_KILLED=()
WORK=""

say()    { echo "[$NAME] $*" >&2; }
# result pass|fail "message": prints the one-line result and exits
result() {
  local st=$1; shift
  local secs=$(( $(date +%s) - T_START ))
  if [ "$st" = pass ]; then echo "PASS $NAME: $* (${secs}s)"; exit 0; fi
  echo "FAIL $NAME: $* (${secs}s)"; exit 1
}

require_env() {
  local v
  for v in "$@"; do [ -n "${!v:-}" ] || { echo "FAIL $NAME: environment variable $v is not set"; exit 2; }; done
  : "${XMPP_PEER_PASSWORD:=${XMPP_PASSWORD:-}}"
  XMPP_DOMAIN=${XMPP_JID#*@}; XMPP_DOMAIN=${XMPP_DOMAIN%%/*}
  XMPP_USER=${XMPP_JID%%@*}
  : "${XMPP_HOST:=$XMPP_DOMAIN}"
  if [ -z "${XMPP_PORT:-}" ]; then
    if [ "$XMPP_TLS" = directtls ]; then XMPP_PORT=5223; else XMPP_PORT=5222; fi
  fi
  export XMPP_PEER_PASSWORD XMPP_HOST XMPP_PORT XMPP_DOMAIN
}

# need_debs PKG... : install the Debian packages that are missing (idempotent)
need_debs() {
  local p missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  [ "$(id -u)" = 0 ] || { echo "FAIL $NAME: need root to apt-get install ${missing[*]}"; exit 2; }
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { echo "FAIL $NAME: apt-get install ${missing[*]} failed"; exit 2; }
}

# make_work: temporary directory with its own HOME; removed at exit
make_work() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/xmpp-$NAME.XXXXXX")
  mkdir -p "$WORK/home"
  trap _cleanup EXIT
  trap 'exit 3' INT TERM
  # watchdog: the whole script never outlives XMPP_TIMEOUT + 30 s
  ( sleep $((XMPP_TIMEOUT + 30)); echo "FAIL $NAME: watchdog fired" >&2; kill -TERM $$ 2>/dev/null ) &
  _WATCHDOG=$!
}

on_exit_pid() { _CLEAN_PIDS+=("$1"); }    # kill this PID (and its children) at exit
on_exit_cmd() { _CLEAN_CMDS+=("$1"); }    # run this command at exit

_kill_tree() {   # kill a PID and its descendants (only processes we started)
  local p=$1 c
  for c in $(pgrep -P "$p" 2>/dev/null); do _kill_tree "$c"; done
  kill "$p" 2>/dev/null && _KILLED+=("$p")
  return 0
}

_cleanup() {
  local rc=$? c p
  for c in "${_CLEAN_CMDS[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
  for p in "${_CLEAN_PIDS[@]}"; do _kill_tree "$p"; done
  [ -n "${_WATCHDOG:-}" ] && _kill_tree "$_WATCHDOG"
  # let killed processes (e.g. chromium writing its profile) exit before rm
  for _ in $(seq 1 25); do
    local alive=0
    for p in "${_KILLED[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.2
  done
  if [ -n "$WORK" ] && [ "${XMPP_KEEP:-0}" != 1 ]; then rm -rf "$WORK" 2>/dev/null || { sleep 1; rm -rf "$WORK"; } elif [ -n "$WORK" ]; then echo "[$NAME] kept $WORK" >&2; fi
  exit $rc
}

# seconds left of the overall budget
time_left() { echo $(( XMPP_TIMEOUT - ($(date +%s) - T_START) )); }

# wait_grep FILE REGEX [SECONDS]: wait until FILE has a line matching REGEX
wait_grep() {
  local f=$1 re=$2 t=${3:-$(time_left)} i=0
  while [ "$i" -lt $((t * 5)) ]; do
    grep -Eq -- "$re" "$f" 2>/dev/null && return 0
    sleep 0.2; i=$((i + 1))
  done
  return 1
}

token() { echo "$1-$(date +%s)-$$-$RANDOM"; }

# peer_trust: the slixmpp peer verifies certificates; when neither
# XMPP_CA_FILE nor XMPP_INSECURE=1 is given, pin what the server presents now.
peer_trust() {
  [ -n "${XMPP_CA_FILE:-}" ] || [ "${XMPP_INSECURE:-0}" = 1 ] && return 0
  local h=${XMPP_PEER_HOST:-$XMPP_HOST} p=${XMPP_PEER_PORT:-5222}
  timeout 10 openssl s_client -starttls xmpp -xmpphost "$XMPP_DOMAIN" -servername "$XMPP_DOMAIN" -connect "$h:$p" </dev/null 2>/dev/null \
    | openssl x509 -outform PEM > "$WORK/peer-trust.pem" 2>/dev/null
  [ -s "$WORK/peer-trust.pem" ] && export XMPP_CA_FILE="$WORK/peer-trust.pem" && say "no XMPP_CA_FILE: pinned the server's certificate (trust on first use)"
}

# befriend: make XMPP_JID and XMPP_PEER mutual contacts (roster 'both') so
# presence flows; uses slixmpp over TCP (XMPP_PEER_HOST/PORT/TLS, default
# XMPP_HOST/5222/starttls). Idempotent.
befriend() {
  peer_trust
  [ "${XMPP_SKIP_BEFRIEND:-0}" = 1 ] && return 0
  XMPP_PEER_HOST=${XMPP_PEER_HOST:-$XMPP_HOST} "${PEER_PY[@]}" befriend --timeout 20 >"$WORK/befriend.log" 2>&1 \
    || result fail "could not make $XMPP_JID and $XMPP_PEER contacts: $(tail -1 "$WORK/befriend.log")"
}

# start_peer STEP... : run the slixmpp peer (as XMPP_PEER) in the background,
# events in $WORK/peer.log
start_peer() {
  XMPP_PEER_HOST=${XMPP_PEER_HOST:-$XMPP_HOST} "${PEER_PY[@]}" run --as peer --timeout "$(time_left)" "$@" >"$WORK/peer.log" 2>&1 &
  PEER_PID=$!
  on_exit_pid "$PEER_PID"
  wait_grep "$WORK/peer.log" '^(READY|FAIL)' 20 && grep -q '^READY' "$WORK/peer.log" \
    || result fail "peer $XMPP_PEER could not log in: $(tail -1 "$WORK/peer.log")"
}

# server_cert_pem OUTFILE: fetch the server's leaf certificate (for pinning)
server_cert_pem() {
  local st=(-starttls xmpp -xmpphost "$XMPP_DOMAIN")
  [ "$XMPP_TLS" = directtls ] && st=()
  timeout 10 openssl s_client "${st[@]}" -servername "$XMPP_DOMAIN" -connect "$XMPP_HOST:$XMPP_PORT" </dev/null 2>/dev/null \
    | openssl x509 -outform PEM > "$1" 2>/dev/null && [ -s "$1" ]
}

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e "s/'/\&apos;/g" -e 's/"/\&quot;/g' <<<"$1"; }
