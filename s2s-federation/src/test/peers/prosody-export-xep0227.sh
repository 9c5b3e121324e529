#!/usr/bin/env bash
# prosody-export-xep0227.sh DOMAIN OUTDIR
# Exports the users of the Prosody instance of start-prosody.sh for DOMAIN as
# XEP-0227 files, one per user (USER@DOMAIN.xml in OUTDIR), with Prosody's own
# prosody-migrator from the internal (file) store to the xep0227 store: the
# stores accounts, roster, vcard and private. (Prosody 0.12's xep0227 store
# has no offline messages: its mod_storage_xep0227 offers no "offline" store.)
# Stop the instance first, so that nothing changes under the migrator.
#
# The xep0227 store writes into Prosody's data_path, which prosody-migrator
# does not read from its own config: it is the CFG_DATADIR of the script (an
# operator finds the files in /var/lib/prosody). So a copy of the migrator
# with CFG_DATADIR=OUTDIR runs here, with --root as CI runs as root.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -eq 2 ] || { sed -n '2,14p' "$0"; exit 2; }
DOMAIN=$1; OUT=$2
DATADIR=${PROSODY_DATADIR:-$PEERS_BASE/prosody-$DOMAIN}
[ -d "$DATADIR/data" ] || die "no Prosody data in $DATADIR - run start-prosody.sh $DOMAIN IP first"
command -v prosody-migrator >/dev/null || die "prosody-migrator not installed (apt-get install prosody)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
case "$OUT$DATADIR" in *\"*|*\\*|*\'*) die "paths must not contain quotes or backslashes" ;; esac

cat > "$DATADIR/migrator.cfg.lua" <<CFG
input {
  type = "internal";
  path = "$DATADIR/data";
  hosts = { ["$DOMAIN"] = { "accounts"; "roster"; "vcard"; "private" } };
}
output {
  type = "xep0227";
}
CFG
MIGRATOR=$(command -v prosody-migrator)
sed "s|^CFG_DATADIR=.*|CFG_DATADIR='$OUT';|" "$MIGRATOR" > "$DATADIR/prosody-migrator.lua"
IFS= read -r first < "$MIGRATOR" || true
read -r -a interpreter <<<"${first#\#!}"
"${interpreter[@]}" "$DATADIR/prosody-migrator.lua" --root --config "$DATADIR/migrator.cfg.lua" input output
log "exported $DOMAIN to $OUT: $(ls "$OUT" | tr '\n' ' ')"
