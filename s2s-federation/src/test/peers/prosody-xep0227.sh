#!/usr/bin/env bash
# prosody-xep0227.sh export|import DOMAIN DIR
# Moves the users of the Prosody instance of start-prosody.sh for DOMAIN
# between its internal (file) store and XEP-0227 files in DIR, one file per
# user (USER@DOMAIN.xml), with Prosody's own prosody-migrator and its xep0227
# store: the stores accounts, roster, vcard and private.
#   export: Prosody -> DIR     import: DIR -> Prosody (DATADIR/data)
# (Prosody 0.12's xep0227 store has no offline messages: its
# mod_storage_xep0227 offers no "offline" store.) The instance must not run.
#
# The xep0227 store reads and writes Prosody's data_path, which
# prosody-migrator does not take from its own config: it is the CFG_DATADIR
# of the script (an operator finds the files in /var/lib/prosody). So a copy
# of the migrator with CFG_DATADIR=DIR runs here, with --root as CI runs as
# root. Datadir: $PROSODY_DATADIR or ${TMPDIR:-/tmp}/xmpp-peers/prosody-DOMAIN.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -eq 3 ] || { sed -n '2,16p' "$0"; exit 2; }
DIRECTION=$1; DOMAIN=$2; XML=$3
DATADIR=${PROSODY_DATADIR:-$PEERS_BASE/prosody-$DOMAIN}
command -v prosody-migrator >/dev/null || die "prosody-migrator not installed (apt-get install prosody)"
mkdir -p "$XML" "$DATADIR/data"
XML="$(cd "$XML" && pwd)"
DATADIR="$(cd "$DATADIR" && pwd)"
case "$XML$DATADIR" in *\"*|*\\*|*\'*) die "paths must not contain quotes or backslashes" ;; esac

STORES='{ ["'"$DOMAIN"'"] = { "accounts"; "roster"; "vcard"; "private" } }'
cat > "$DATADIR/migrator.cfg.lua" <<CFG
prosody_internal { type = "internal"; path = "$DATADIR/data"; hosts = $STORES; }
xep0227 { type = "xep0227"; hosts = $STORES; }
CFG
case "$DIRECTION" in
  export) FROM=prosody_internal; TO=xep0227 ;;
  import) FROM=xep0227; TO=prosody_internal ;;
  *) die "first argument: export or import (got '$DIRECTION')" ;;
esac
MIGRATOR=$(command -v prosody-migrator)
sed "s|^CFG_DATADIR=.*|CFG_DATADIR='$XML';|" "$MIGRATOR" > "$DATADIR/prosody-migrator.lua"
IFS= read -r first < "$MIGRATOR" || true
read -r -a interpreter <<<"${first#\#!}"
"${interpreter[@]}" "$DATADIR/prosody-migrator.lua" --root --config "$DATADIR/migrator.cfg.lua" "$FROM" "$TO"
log "$DIRECTION of $DOMAIN done ($XML: $(ls "$XML" | tr '\n' ' '))"
