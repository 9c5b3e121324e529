#!/usr/bin/env bash
# slixmpp-history.sh - slixmpp's own plugins for carbons (xep_0280), the message archive
# (xep_0313 with xep_0059 paging) and PEP (xep_0163 with xep_0118 user tune and xep_0115
# caps), driven through xmpp_peer.py: two resources of XMPP_JID and the peer XMPP_PEER.
#   desk   (XMPP_JID/desk-*)   enables carbons, must get a 'sent' carbon of what phone sends
#                              and a 'received' carbon of what the peer sends phone (XEP-0280 §6)
#   phone  (XMPP_JID/phone-*)  enables carbons, sends one message to the peer, gets two,
#                              publishes a tune to its PEP node
#   peer                       gets phone's message, answers twice, and with +notify for
#                              tunes in its caps gets phone's tune as an event (XEP-0163 §4)
#   fresh  (XMPP_JID/fresh-*)  a new session afterwards: fetches the messages with the peer
#                              from the archive in RSM pages of 2 (XEP-0313 §4, XEP-0059)
# Env: see lib.sh.
set -uo pipefail
NAME=slixmpp-history
. "$(dirname "$0")/lib.sh"
require_env XMPP_JID XMPP_PASSWORD XMPP_PEER
need_debs python3-slixmpp openssl
make_work
befriend

T1=$(token phone-to-peer); T2=$(token peer-to-phone); T3=$(token peer-again); TUNE=$(token tune)
DESK=desk-$$; PHONE=phone-$$; FRESH=fresh-$$

# run_self RESOURCE LOG STEP... : xmpp_peer.py as XMPP_JID/RESOURCE in the background
run_self() {
  local res=$1 log=$2; shift 2
  XMPP_RESOURCE=$res "${PEER_PY[@]}" run --as self --timeout "$(time_left)" "$@" >"$WORK/$log" 2>&1 &
  on_exit_pid $!
}
# finished LOG WHAT : the process writing LOG printed OK, or the script fails naming WHAT
finished() {
  wait_grep "$WORK/$1" '^(OK|FAIL)' && grep -q '^OK' "$WORK/$1" \
    || result fail "$2: $(grep -E '^FAIL' "$WORK/$1" | tail -1) -- log: $(tail -5 "$WORK/$1" | tr '\n' ' ')"
}

run_self "$DESK" desk.log carbons "expect-carbon=sent:$T1" "expect-carbon=received:$T2"
wait_grep "$WORK/desk.log" '^(CARBONS|FAIL)' 20 && grep -q '^CARBONS' "$WORK/desk.log" \
  || result fail "desk could not enable carbons: $(tail -1 "$WORK/desk.log")"
start_peer "presence=$PHONE" "expect=$T1" "send=$T2" "send=$T3" "expect-tune=$TUNE"
run_self "$PHONE" phone.log carbons presence=peer- "send=$T1" "expect=$T2" "expect=$T3" "tune=$TUNE"

finished phone.log "phone did not exchange its messages or publish its tune"
finished desk.log "desk did not get the carbons of phone's conversation"
finished peer.log "the peer did not get phone's message or tune event"

run_self "$FRESH" fresh.log "mam=2:$T1,$T2,$T3"
finished fresh.log "a fresh session did not find the conversation in the archive"

say "desk: $(grep '^CARBON' "$WORK/desk.log" | tr '\n' ';')"
say "peer: $(grep '^TUNE' "$WORK/peer.log" | tr '\n' ';')"
say "fresh: $(grep -E '^MAM' "$WORK/fresh.log" | tr '\n' ';')"
PAGES=$(grep -c '^MAM-PAGE' "$WORK/fresh.log")
VER=$(/usr/bin/python3 -c 'import slixmpp; print(slixmpp.__version__)' 2>/dev/null)
result pass "slixmpp $VER: sent and received carbons, tune event through +notify, archive in $PAGES pages"
