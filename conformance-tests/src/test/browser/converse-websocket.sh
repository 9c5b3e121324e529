#!/usr/bin/env bash
# converse-websocket.sh - Converse.js (headless Chromium) over WebSocket:
# log in, be seen online, receive the peer's message, send one back.
# Env: see lib.sh; XMPP_HTTP_URL is the WebSocket URL (e.g. ws://host:5280/xmpp-websocket).
exec env XMPP_TRANSPORT=websocket "$(dirname "$0")/converse.sh" "$@"
