// converse-muc-driver.js - Converse.js in a room (XEP-0045), for ConverseMucTest through
// converse-scenario.sh. The test's TCP client (Smack) is in the room first.
//
// Env: those of converse-page.js, and XMPP_ROOM (room@conference.domain), XMPP_NICK (the
// browser's nickname), XMPP_ROOM_PEER (the TCP occupant's nickname), T_IN (what the TCP
// occupant says once the browser is in), T_OUT (what the browser then says, typed into the
// room's text area).
// Prints: JOINED, OCCUPANT nick, GOT text, SENT text (once the room reflected it), OK / FAIL why.
'use strict';
const { runConverse, typeAndSend, out } = require('./converse-page');

const E = process.env;

runConverse(async (page, left) => {
  // api.rooms.open enters the room with the nickname, as the UI's "enter groupchat" does.
  await page.evaluate(async ({ room, nick }) => {
    window.__room = await window.__api.rooms.open(room, { nick }, true);
  }, { room: E.XMPP_ROOM, nick: E.XMPP_NICK });
  // §7.2.3: the occupants' presence comes before the self-presence; the room view shows both nicks.
  const nick = n => page.locator('.occupant-nick', { hasText: n }).first().waitFor({ state: 'attached', timeout: left() });
  await nick(E.XMPP_NICK);
  out('JOINED', E.XMPP_ROOM);
  await nick(E.XMPP_ROOM_PEER);
  out('OCCUPANT', E.XMPP_ROOM_PEER);
  // §7.4: the TCP occupant's message shows in the room, under its nickname.
  const got = page.locator('.chat-msg', { hasText: E.T_IN }).first();
  await got.waitFor({ timeout: left() });
  const author = (await got.locator('.chat-msg__author').first().textContent()).trim();
  if (!author.includes(E.XMPP_ROOM_PEER)) throw new Error(`"${E.T_IN}" shown from "${author}", not ${E.XMPP_ROOM_PEER}`);
  out('GOT', E.T_IN);
  await typeAndSend(page, E.T_OUT, left);
  // The room's reflection of the message (§7.4: to all occupants, the sender too) marks it received.
  await page.waitForFunction(text => window.__room.messages.models.some(
    m => m.get('body') === text && m.get('sender') === 'me' && m.get('received')), E.T_OUT, { timeout: left() });
  out('SENT', E.T_OUT);
}).catch(e => { out('FAIL', e.message); process.exit(1); });
