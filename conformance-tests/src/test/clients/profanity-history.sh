#!/usr/bin/env bash
# profanity-history.sh - profanity's message carbons (/carbons on, XEP-0280) and message
# archive (/mam on, XEP-0313), in tmux, with a second resource of the same account played by
# xmpp_peer.py ("other") and the slixmpp peer:
#   1. profanity online with carbons on; other sends the peer a message: profanity must show
#      it in the chat with the peer (a 'sent' carbon, XEP-0280 §6) and log it.
#   2. profanity quits; other sends the peer two more (archived, never offline messages: the
#      account has a resource online); profanity starts again, /mam on, and opens the chat
#      with the peer: it must show both, and keep them with their archive ids in its database
#      (what it fetched from the archive, XEP-0313 §4.2, never its own log).
# Env: see lib.sh and profanity-lib.sh.
set -uo pipefail
NAME=profanity-history
. "$(dirname "$0")/lib.sh"
require_env XMPP_JID XMPP_PASSWORD XMPP_PEER
need_debs profanity tmux openssl python3-slixmpp
make_work
. "$(dirname "$0")/profanity-lib.sh"
profanity_prepare
OTHER=other-$$

T_CARBON=$(token carbon); T_MAM1=$(token archived-one); T_MAM2=$(token archived-two)
# wait_screen TEXT SECONDS : TEXT on profanity's screen
wait_screen() {
  local i
  for i in $(seq 1 $(( $2 * 5 ))); do screen | grep -qF -- "$1" && return 0; sleep 0.2; done
  return 1
}
# run_other LOG STEP... : xmpp_peer.py as XMPP_JID/$OTHER, waits for its end
run_other() {
  local log=$1; shift
  XMPP_RESOURCE=$OTHER "${PEER_PY[@]}" run --as self --timeout 20 "$@" >"$WORK/$log" 2>&1
  grep -q '^OK' "$WORK/$log" || result fail "the other resource failed: $(tail -3 "$WORK/$log" | tr '\n' ' ')"
}

start_peer "presence=$RES" "expect=$T_CARBON" "expect=$T_MAM1" "expect=$T_MAM2" "sleep=$XMPP_TIMEOUT"  # stays to see profanity back
profanity_start
wait_grep "$WORK/peer.log" "^PRESENCE $XMPP_JID/$RES" 20 \
  || result fail "peer never saw profanity online; screen: $(screen | grep -Ei 'tls|fail|error' | tail -3 | tr '\n' ' ')"
type_line "/carbons on"
PLOG=$XDG_DATA_HOME/profanity/logs/profanity.log
wait_grep "$PLOG" "Message carbons enabled" 10 || result fail "profanity did not enable carbons: $(grep -i carbons "$PLOG" | tail -2)"

# 1. carbons: what the other resource sends shows in profanity
run_other other-carbon.log "send=$T_CARBON"
wait_grep "$WORK/peer.log" "^GOT .*$T_CARBON" 10 || result fail "the peer did not get the other resource's message"
type_line "/msg $XMPP_PEER"
wait_screen "$T_CARBON" 10 || result fail "profanity did not show the sent carbon; screen: $(screen | tail -8 | tr -s ' ' | tr '\n' '|')"

# 2. the archive: sent while profanity was away, shown once it is back with MAM on
type_line "/quit"
for _ in $(seq 1 50); do tmux -S "$SOCK" has-session 2>/dev/null || break; sleep 0.2; done
tmux -S "$SOCK" kill-server 2>/dev/null
run_other other-archive.log "send=$T_MAM1" "send=$T_MAM2"
wait_grep "$WORK/peer.log" "^GOT .*$T_MAM2" 10 || result fail "the peer did not get the other resource's messages"
SEEN=$(grep -c "^PRESENCE $XMPP_JID/$RES" "$WORK/peer.log")
mv "$PLOG" "$PLOG.first"
profanity_start
# profanity asks for the archive only once it knows the server has one (its disco#info answer)
wait_grep "$PLOG" 'RECV: .*var="urn:xmpp:mam:2"' 20 \
  || result fail "profanity never learnt that the server has an archive: $(grep -i 'mam' "$PLOG" | tail -2)"
for _ in $(seq 1 100); do
  [ "$(grep -c "^PRESENCE $XMPP_JID/$RES" "$WORK/peer.log")" -gt "$SEEN" ] && break
  sleep 0.2
done
[ "$(grep -c "^PRESENCE $XMPP_JID/$RES" "$WORK/peer.log")" -gt "$SEEN" ] || result fail "peer never saw profanity online again"
# and once it is done connecting (it enables carbons on its own then)
wait_grep "$PLOG" "Message carbons enabled" 20 || result fail "profanity did not finish connecting again"
type_line "/mam on"
wait_grep "$PLOG" "Input received: /mam on" 5 || result fail "profanity did not take /mam on"
type_line "/msg $XMPP_PEER"
wait_grep "$PLOG" 'SENT: <iq[^>]*><query xmlns="urn:xmpp:mam:2"' 10 \
  || result fail "profanity did not query the archive on opening the chat; its log: $(tail -6 "$PLOG" | cut -c1-300 | tr '\n' '|')"
wait_screen "$T_MAM2" 15 || result fail "profanity did not show the archived messages after reconnecting; its log: $(grep -E 'mam|MAM' "$PLOG" | tail -4 | cut -c1-700 | tr '\n' '|')"
wait_screen "$T_MAM1" 1 || result fail "profanity showed only the newer archived message"
DB=$(find "$XDG_DATA_HOME/profanity" -name chatlog.db | head -1)
ARCHIVED=$(/usr/bin/python3 -c 'import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM ChatLogs WHERE length(archive_id) > 0 AND (instr(message, ?) OR instr(message, ?))", sys.argv[2:]).fetchone()
print(rows[0])' "$DB" "$T_MAM1" "$T_MAM2" 2>&1)
[ "$ARCHIVED" = 2 ] || result fail "profanity's database does not have both messages with their archive ids: $ARCHIVED"
VER=$(profanity --version 2>/dev/null | head -1)
result pass "$VER: sent carbon shown; after reconnecting with /mam on, the archived messages shown and stored with their archive ids"
