# shellcheck shell=bash
# converse-lib.sh - what the Converse.js scripts share: Debian Chromium, Node.js, and the npm
# packages (playwright-core, the converse.js tarball) cached in
# ${XMPP_CLIENTS_CACHE:-$XDG_CACHE_HOME/xmpp-clients} (installed once). Sourced after
# ../clients/lib.sh and require_env; sets CACHE and CONVERSE_DIST, and converse_spki prints
# the SPKI hash Chromium is to trust for https/wss (XMPP_CA_FILE), or nothing.
PW_VER=${PLAYWRIGHT_CORE_VERSION:-1.65.1}
CV_VER=${CONVERSE_VERSION:-14.0.0}
CACHE=${XMPP_CLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xmpp-clients}
need_debs chromium fonts-liberation openssl
command -v node >/dev/null && command -v npm >/dev/null || need_debs nodejs npm

# --- npm packages, installed once into the cache (idempotent) -----------------
# npm's own words on a failure (a registry it cannot reach, a certificate it does not trust).
npm_error() { grep -E '^npm (error|ERR!)' "$CACHE/npm.log" | head -n 4 | tr '\n' ' '; echo "(log: $CACHE/npm.log)"; }
if [ ! -f "$CACHE/node/node_modules/playwright-core/package.json" ] \
   || [ "$(node -p "require('$CACHE/node/node_modules/playwright-core/package.json').version" 2>/dev/null)" != "$PW_VER" ]; then
  mkdir -p "$CACHE/node" && [ -f "$CACHE/node/package.json" ] || echo '{"name":"xmpp-clients-cache","private":true}' > "$CACHE/node/package.json"
  say "npm install playwright-core@$PW_VER"
  (cd "$CACHE/node" && npm install --no-audit --no-fund "playwright-core@$PW_VER" >"$CACHE/npm.log" 2>&1) \
    || result fail "npm install playwright-core failed: $(npm_error)"
fi
CONVERSE_DIST=$CACHE/converse-$CV_VER/package/dist
if [ ! -f "$CONVERSE_DIST/converse.min.js" ]; then
  say "npm pack converse.js@$CV_VER"
  mkdir -p "$CACHE/converse-$CV_VER"
  (cd "$CACHE/converse-$CV_VER" && npm pack --silent "converse.js@$CV_VER" >"$CACHE/npm.log" 2>&1 && tar xzf converse.js-"$CV_VER".tgz) \
    || result fail "npm pack converse.js failed: $(npm_error)"
fi

converse_spki() {
  case "$XMPP_HTTP_URL" in https://*|wss://*)
    if [ -n "${XMPP_CA_FILE:-}" ] && [ "${XMPP_INSECURE:-0}" != 1 ]; then
      openssl x509 -in "$XMPP_CA_FILE" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
    fi ;;
  esac
}
