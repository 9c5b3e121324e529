# shellcheck shell=bash
# profanity-lib.sh - what the profanity scripts share. Sourced after lib.sh and make_work.
#
# profanity_prepare: a private HOME for profanity, the accounts made mutual contacts (befriend,
# which also pins XMPP_CA_FILE if none was given), and an account file that logs XMPP_JID in as
# $RES (default profanity-PID: unique, as an earlier session may linger) with the tls.policy for
# XMPP_TLS: starttls -> force, directtls -> legacy (port 5223), none -> disable; XMPP_INSECURE=1
# -> trust. profanity (libstrophe/OpenSSL) verifies against [connection] tls.certpath, a hashed
# directory: it gets XMPP_CA_FILE. An untrusted certificate makes profanity stop and ask
# "/tls allow|always|deny".
profanity_prepare() {
  H=$WORK/home
  export HOME=$H XDG_CONFIG_HOME=$H/.config XDG_DATA_HOME=$H/.local/share
  mkdir -p "$XDG_CONFIG_HOME/profanity" "$XDG_DATA_HOME/profanity" "$WORK/certs"
  befriend
  case "$XMPP_TLS" in
    starttls) POLICY=force ;;
    directtls) POLICY=legacy ;;   # 0.13 name for direct TLS (XEP-0368 style)
    none) POLICY=disable ;;
    *) result fail "bad XMPP_TLS=$XMPP_TLS" ;;
  esac
  [ "${XMPP_INSECURE:-0}" = 1 ] && [ "$XMPP_TLS" = starttls ] && POLICY=trust
  if [ -n "${XMPP_CA_FILE:-}" ]; then
    # split a bundle into one file per certificate, then hash the directory
    awk -v d="$WORK/certs" '/BEGIN CERT/{n++} n{print > (d "/ca" n ".pem")}' "$XMPP_CA_FILE"
    openssl rehash "$WORK/certs" >/dev/null 2>&1 || c_rehash "$WORK/certs" >/dev/null 2>&1
  fi
  RES=${XMPP_RESOURCE:-profanity-$$}
  cat > "$XDG_DATA_HOME/profanity/accounts" <<EOF2
[$XMPP_JID]
enabled=true
jid=$XMPP_JID
server=$XMPP_HOST
port=$XMPP_PORT
resource=$RES
password=$XMPP_PASSWORD
tls.policy=$POLICY
EOF2
  chmod 600 "$XDG_DATA_HOME/profanity/accounts"
  cat > "$XDG_CONFIG_HOME/profanity/profrc" <<EOF2
[connection]
tls.certpath=$WORK/certs
[logging]
chlog=true
[notifications]
message=false
EOF2
  SOCK=$WORK/tmux.sock
  on_exit_cmd "tmux -S '$SOCK' kill-server"
}

# profanity_start: profanity in a private tmux server, logging in at once (-a), debug log on
profanity_start() {
  tmux -S "$SOCK" -f /dev/null new-session -d -x 220 -y 60 \
    "env HOME='$H' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' TERM=screen profanity -a '$XMPP_JID' -l DEBUG"
}

# screen: what profanity shows, with some scrollback
screen() { tmux -S "$SOCK" capture-pane -p -S -300 2>/dev/null; }

# type_line TEXT: types TEXT into profanity and presses Enter
type_line() { tmux -S "$SOCK" send-keys -l "$1"; tmux -S "$SOCK" send-keys Enter; }
