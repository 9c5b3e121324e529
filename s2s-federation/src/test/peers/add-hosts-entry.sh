#!/usr/bin/env bash
# add-hosts-entry.sh IP DOMAIN
# Makes DOMAIN resolve to IP through /etc/hosts (idempotent; needs write access
# to /etc/hosts). The test peers have no SRV records to find a Parley domain:
# they look up its A record and connect to port 5269. Prosody reads /etc/hosts
# only at start-up, so run this before start-prosody.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
[ $# -eq 2 ] || { sed -n '2,7p' "$0"; exit 2; }
check_loopback_ip "$1"
ensure_hosts_entry "$1" "$2"
