#!/usr/bin/env bash
# converse-scenario.sh - runs one Converse.js driver (CONVERSE_DRIVER, a file of this folder,
# e.g. converse-muc-driver.js) in headless Debian Chromium over BOSH or WebSocket
# (XMPP_TRANSPORT=bosh|websocket, URL in XMPP_HTTP_URL), with the driver's progress lines
# (PAGE, CONNECTED, then the driver's own, OK / FAIL why) on stdout as they come. The other
# side is the caller: a JUnit test (ConverseMucTest, ConverseUploadTest) that plays the TCP
# client (Smack, or a raw client) and reads those lines; no slixmpp peer, no roster set-up.
# Env: see lib.sh and converse-page.js; the driver's own variables pass through.
set -uo pipefail
: "${XMPP_TRANSPORT:?set XMPP_TRANSPORT=bosh|websocket}"
: "${CONVERSE_DRIVER:?set CONVERSE_DRIVER to a driver of this folder}"
NAME=${CONVERSE_DRIVER%.js}-$XMPP_TRANSPORT
. "$(dirname "$0")/../clients/lib.sh"
BROWSER_DIR=$(cd "$(dirname "$0")" && pwd)
require_env XMPP_JID XMPP_PASSWORD XMPP_HTTP_URL
. "$BROWSER_DIR/converse-lib.sh"

make_work
export XMPP_RESOURCE=${XMPP_RESOURCE:-converse-$$}   # unique: BOSH sessions linger
# In a subshell of its own, so that the exit clean-up ends node and tee together.
( WORK=$WORK CONVERSE_DIST=$CONVERSE_DIST XMPP_SPKI=$(converse_spki) XMPP_TIMEOUT=$(time_left) \
    NODE_PATH="$CACHE/node/node_modules" HOME="$WORK/home" \
    node "$BROWSER_DIR/$CONVERSE_DRIVER" 2>"$WORK/driver.err" | tee "$WORK/driver.log" ) &
DRV=$!
on_exit_pid "$DRV"
wait "$DRV"; rc=$?
if [ $rc -ne 0 ] || ! grep -q '^OK' "$WORK/driver.log"; then
  [ -s "$WORK/console.log" ] && say "browser console: $(tail -n 5 "$WORK/console.log" | tr '\n' ' ')"
  result fail "driver: $(grep -E '^FAIL' "$WORK/driver.log" | tail -1) $(tail -n 2 "$WORK/driver.err" | tr '\n' ' ')"
fi
CH=$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')
result pass "Converse.js $CV_VER in Chromium $CH over $XMPP_TRANSPORT ($XMPP_HTTP_URL): $(grep -vE '^(PAGE|CONNECTED|OK)' "$WORK/driver.log" | cut -d' ' -f1 | tr '\n' ' ')"
