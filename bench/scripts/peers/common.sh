# shellcheck shell=bash
# common.sh - helpers shared by the peer start/stop scripts (adapted from the project's
# shared peer scripts; own data dirs under ${TMPDIR:-/tmp}/parley-bench).
# Sourced, not executed.  Plain bash, no dependencies beyond coreutils/grep.

# Root of all default data dirs (one sub dir per server instance).
PEERS_BASE="${PEERS_BASE:-${TMPDIR:-/tmp}/parley-bench/peers}"

log()  { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }

# is_alive PID -> 0 if the process exists
is_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# read_pid FILE -> prints pid if the file exists and the pid is alive
read_pid() {
  local f=$1 p
  [ -s "$f" ] || return 1
  p=$(tr -dc '0-9' < "$f")
  is_alive "$p" && { echo "$p"; return 0; }
  return 1
}

# port_open IP PORT -> 0 if something accepts TCP connections there
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_listen IP PORT TIMEOUT_S [PID] -> waits until IP:PORT accepts
# connections; fails early if PID (the server) dies meanwhile.
wait_listen() {
  local ip=$1 port=$2 t=${3:-30} pid=${4:-} i=0
  while [ "$i" -lt $((t * 5)) ]; do
    port_open "$ip" "$port" && return 0
    if [ -n "$pid" ] && ! is_alive "$pid"; then return 1; fi
    sleep 0.2; i=$((i + 1))
  done
  return 1
}

# wait_dead PID TIMEOUT_S -> 0 once the process is gone
wait_dead() {
  local pid=$1 t=${2:-15} i=0
  while is_alive "$pid" && [ "$i" -lt $((t * 5)) ]; do sleep 0.2; i=$((i + 1)); done
  ! is_alive "$pid"
}

# ensure_hosts_entry IP DOMAIN
# Makes DOMAIN resolve to IP via /etc/hosts (no SRV records exist for test
# domains, so servers fall back to the A record + port 5269).  Idempotent.
# If DOMAIN is already mapped to another IP, that mapping is replaced.
# /etc/hosts is rewritten in place (cat >) rather than with sed -i, because
# in containers it is often a bind mount that cannot be renamed over.
ensure_hosts_entry() {
  local ip=$1 dom=$2 tmp
  if awk -v ip="$ip" -v d="$dom" '$1==ip { for (i=2;i<=NF;i++) if ($i==d) f=1 } END { exit !f }' /etc/hosts; then
    return 0
  fi
  [ -w /etc/hosts ] || die "/etc/hosts is not writable; add '$ip $dom' by hand (needs root)"
  tmp=$(mktemp)
  # drop other mappings of this exact name (only lines that map nothing else)
  awk -v d="$dom" '{ keep=1; if ($1 !~ /^#/ && NF==2 && $2==d) keep=0; if (keep) print }' /etc/hosts > "$tmp"
  printf '%s %s\n' "$ip" "$dom" >> "$tmp"
  cat "$tmp" > /etc/hosts
  rm -f "$tmp"
  log "added '$ip $dom' to /etc/hosts"
}

# make_cert DOMAIN DIR -> DIR/DOMAIN.crt + DIR/DOMAIN.key (self-signed,
# CN and SAN = DOMAIN and *.DOMAIN), kept if already present.
make_cert() {
  local dom=$1 dir=$2
  mkdir -p "$dir"
  if [ -s "$dir/$dom.crt" ] && [ -s "$dir/$dom.key" ]; then return 0; fi
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
    -keyout "$dir/$dom.key" -out "$dir/$dom.crt" \
    -subj "/CN=$dom" \
    -addext "subjectAltName=DNS:$dom,DNS:*.$dom" >/dev/null 2>&1 \
    || die "openssl failed to create a certificate for $dom"
  chmod 640 "$dir/$dom.key"
}

# valid_ip IP -> must be a loopback IPv4 (these scripts are for tests only)
check_loopback_ip() {
  case "$1" in
    127.*.*.*) return 0 ;;
    *) die "IP must be a loopback address in 127.0.0.0/8 (got '$1')" ;;
  esac
}
