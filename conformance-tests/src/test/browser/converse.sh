#!/usr/bin/env bash
# converse.sh - Converse.js in headless Debian Chromium (playwright-core)
# logs in over BOSH or WebSocket (XMPP_TRANSPORT=bosh|websocket, URL in
# XMPP_HTTP_URL), must be seen online by the peer, must show the peer's
# message in its chat view, and sends a reply typed into the chat textarea.
# Use the wrappers converse-bosh.sh and converse-websocket.sh; the JUnit tests
# ConverseBoshTest and ConverseWebSocketTest run them against an in-process Parley.
#
# The page is served by a static server on 127.0.0.1 (random port) inside the
# node driver, so BOSH needs CORS on the server and WebSocket must accept that
# Origin. npm packages (playwright-core, converse.js tarball) are cached in
# ${XMPP_CLIENTS_CACHE:-$XDG_CACHE_HOME/xmpp-clients} (installed once).
# https/wss with a self-signed cert: XMPP_INSECURE=1, or XMPP_CA_FILE holding
# the (self-signed) server certificate, whose SPKI hash is then trusted.
set -uo pipefail
: "${XMPP_TRANSPORT:?set XMPP_TRANSPORT=bosh|websocket}"
NAME=converse-$XMPP_TRANSPORT
. "$(dirname "$0")/../clients/lib.sh"   # the helpers and the slixmpp peer the client scripts use
BROWSER_DIR=$(cd "$(dirname "$0")" && pwd)
require_env XMPP_JID XMPP_PASSWORD XMPP_PEER XMPP_HTTP_URL
. "$BROWSER_DIR/converse-lib.sh"
need_debs python3-slixmpp

make_work
befriend
SPKI=$(converse_spki)

T_IN=$(token to-converse); T_OUT=$(token from-converse)
export XMPP_RESOURCE=${XMPP_RESOURCE:-converse-$$}   # unique: BOSH sessions linger
start_peer "presence=$XMPP_RESOURCE" "send=$T_IN" "expect=$T_OUT"
WORK=$WORK CONVERSE_DIST=$CONVERSE_DIST T_IN=$T_IN T_OUT=$T_OUT XMPP_SPKI=$SPKI XMPP_TIMEOUT=$(time_left) \
  NODE_PATH="$CACHE/node/node_modules" HOME="$WORK/home" \
  node "$BROWSER_DIR/converse-driver.js" >"$WORK/driver.log" 2>&1 &
DRV=$!
on_exit_pid "$DRV"
# Until the peer has the reply; a driver that failed or exited first ends the wait at once.
until grep -Eq -- "^GOT .*$T_OUT" "$WORK/peer.log" 2>/dev/null; do
  if grep -q '^FAIL' "$WORK/driver.log" 2>/dev/null || ! kill -0 "$DRV" 2>/dev/null || [ "$(time_left)" -le 0 ]; then
    result fail "$(grep -E '^(FAIL|CONNECTED|GOT|SENT)' "$WORK/driver.log" | tail -1); peer: $(tail -1 "$WORK/peer.log")"
  fi
  sleep 0.2
done
touch "$WORK/peer-done"
wait "$DRV"; rc=$?
[ $rc -eq 0 ] || result fail "driver: $(tail -1 "$WORK/driver.log")"
grep -q "^PRESENCE $XMPP_JID/$XMPP_RESOURCE" "$WORK/peer.log" || result fail "peer did not see Converse online"
CH=$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')
result pass "Converse.js $CV_VER in Chromium $CH over $XMPP_TRANSPORT ($XMPP_HTTP_URL): online, received, sent"
