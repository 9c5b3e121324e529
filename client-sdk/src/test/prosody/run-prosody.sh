#!/usr/bin/env bash
# run-prosody.sh DATADIR DOMAIN IP C2S_PORT DIRECT_TLS_PORT HTTP_PORT
#
# Runs a throw-away Prosody (Debian package 'prosody', 0.12) in the foreground for the SDK
# tests (ProsodyServer starts and stops it): c2s with STARTTLS required, direct TLS, BOSH at
# http://IP:HTTP_PORT/http-bind, stream management (mod_smacks), in-band registration, no s2s.
# Writes its config and a self-signed certificate for DOMAIN into DATADIR, then execs Prosody,
# so the caller's process handle is Prosody itself. Adapted from the team's peer scripts.
set -euo pipefail
[ $# -eq 6 ] || { sed -n '2,9p' "$0"; exit 2; }
DATADIR=$1; DOMAIN=$2; IP=$3; C2S_PORT=$4; DIRECT_TLS_PORT=$5; HTTP_PORT=$6

command -v prosody >/dev/null || { echo "prosody is not installed (apt-get install prosody)" >&2; exit 3; }
command -v openssl >/dev/null || { echo "openssl is not installed" >&2; exit 3; }
case "$DATADIR" in *\"*|*\\*) echo "DATADIR must not contain quotes or backslashes" >&2; exit 2 ;; esac

mkdir -p "$DATADIR/data" "$DATADIR/certs"
if [ ! -s "$DATADIR/certs/$DOMAIN.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
    -keyout "$DATADIR/certs/$DOMAIN.key" -out "$DATADIR/certs/$DOMAIN.crt" \
    -subj "/CN=$DOMAIN" -addext "subjectAltName=DNS:$DOMAIN,DNS:*.$DOMAIN" >/dev/null 2>&1
  chmod 640 "$DATADIR/certs/$DOMAIN.key"
fi

cat > "$DATADIR/prosody.cfg.lua" <<CFG
local datadir = "$DATADIR"
run_as_root = true
pidfile = datadir.."/prosody.pid"
data_path = datadir.."/data"
log = { { levels = { min = "info" }, to = "file", filename = datadir.."/prosody.log" } }

interfaces = { "$IP" }
c2s_ports = { $C2S_PORT }
c2s_direct_tls_ports = { $DIRECT_TLS_PORT }
s2s_ports = {}
s2s_direct_tls_ports = {}
http_interfaces = { "$IP" }
http_ports = { $HTTP_PORT }
https_ports = {}
https_interfaces = {}
component_ports = {}

modules_enabled = {
  "roster"; "saslauth"; "tls"; "disco"; "ping"; "register"; "offline"; "smacks";
  "bosh"; "http";
}
modules_disabled = { "s2s"; "s2s_bidi"; "dialback" }

limits = {}
allow_registration = true
min_seconds_between_registrations = 0
authentication = "internal_plain"
storage = "internal"
c2s_require_encryption = true
consider_bosh_secure = true

-- Never send DNS queries: this instance federates with nobody.
unbound = { resolvconf = false; hoststxt = true; options = { ["local-zone:"] = ". static" } }

certificates = datadir.."/certs"
ssl = { certificate = datadir.."/certs/$DOMAIN.crt"; key = datadir.."/certs/$DOMAIN.key" }
VirtualHost "$DOMAIN"
  ssl = { certificate = datadir.."/certs/$DOMAIN.crt"; key = datadir.."/certs/$DOMAIN.key" }
CFG

exec prosody --config "$DATADIR/prosody.cfg.lua" -F
