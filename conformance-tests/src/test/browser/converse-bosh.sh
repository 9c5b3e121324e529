#!/usr/bin/env bash
# converse-bosh.sh - Converse.js (headless Chromium) over BOSH:
# log in, be seen online, receive the peer's message, send one back.
# Env: see lib.sh; XMPP_HTTP_URL is the BOSH URL (e.g. http://host:5280/http-bind).
exec env XMPP_TRANSPORT=bosh "$(dirname "$0")/converse.sh" "$@"
