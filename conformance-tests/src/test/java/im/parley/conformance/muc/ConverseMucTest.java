package im.parley.conformance.muc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.XmppClient;
import im.parley.conformance.bosh.BrowserScript;
import im.parley.conformance.bosh.HttpParley;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.Occupant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Group chat on every transport (issue 14): Converse.js in headless Chromium enters a Parley room
 * over WebSocket (RFC 7395) or BOSH (XEP-0206), page served from another origin, and talks there
 * with a Smack client over TCP. XEP-0045 §7.2.3: "it MUST send presence from all the existing
 * participants' occupant JIDs to the new occupant's full JID" and "MUST also send presence from the
 * new occupant's occupant JID to the full JIDs of all the occupants"; §7.4: a message of an occupant
 * with voice goes to every occupant, the sender too, from the sender's occupant JID.
 */
class ConverseMucTest {

    private static final String SERVICE = "conference." + HttpParley.DOMAIN;
    private static final String TCP_NICK = "romeo-tcp";
    private static final String BROWSER_NICK = "juliet-web";

    @RegisterExtension
    static final HttpParley parley = new HttpParley(web -> web.withCorsOrigins(List.of("*")));

    @TempDir
    Path work;

    @Test
    @DisplayName("XEP-0045 §7.2.3, §7.4 over WebSocket: Converse.js enters a room, sees the TCP occupant and its message, speaks")
    void converseInARoomOverWebSocket() throws Exception {
        browserAndTcpClientTalkInARoom("websocket", parley.websocketUrl());
    }

    @Test
    @DisplayName("XEP-0045 §7.2.3, §7.4 over BOSH: Converse.js enters a room, sees the TCP occupant and its message, speaks")
    void converseInARoomOverBosh() throws Exception {
        browserAndTcpClientTalkInARoom("bosh", parley.boshUrl());
    }

    private void browserAndTcpClientTalkInARoom(String transport, String url) throws Exception {
        XmppClient romeo = parley.tcpClient("romeo");
        EntityBareJid address = JidCreate.entityBareFrom("balcony-" + transport + "@" + SERVICE);
        MultiUserChat room = MultiUserChatManager.getInstanceFor(romeo.connection()).getMultiUserChat(address);
        room.create(Resourcepart.from(TCP_NICK)).makeInstant();
        EntityFullJid browserInRoom = JidCreate.entityFullFrom(address + "/" + BROWSER_NICK);
        String toBrowser = "to-converse-" + UUID.randomUUID();
        String fromBrowser = "from-converse-" + UUID.randomUUID();

        EntityBareJid juliet = parley.newAccount("juliet");
        try (BrowserScript browser = BrowserScript.start(parley, BrowserScript.script("converse-scenario.sh"), url,
                work, juliet, romeo.bareJid(), Map.of(
                        "XMPP_TRANSPORT", transport,
                        "CONVERSE_DRIVER", "converse-muc-driver.js",
                        "XMPP_ROOM", address.toString(),
                        "XMPP_NICK", BROWSER_NICK,
                        "XMPP_ROOM_PEER", TCP_NICK,
                        "T_IN", toBrowser,
                        "T_OUT", fromBrowser))) {
            // §7.2.3 both ways: the browser lists the TCP occupant, the TCP client gets the browser's presence.
            browser.awaitLine("OCCUPANT " + TCP_NICK);
            await().atMost(Duration.ofSeconds(30)).until(() -> room.getOccupants().contains(browserInRoom));
            // Romeo owns the room, so he sees the real JID even in a semi-anonymous room (§7.2.4).
            Occupant occupant = room.getOccupant(browserInRoom);
            assertThat(occupant.getJid().asBareJid().toString()).isEqualTo(juliet.toString());

            // §7.4: what the TCP occupant says reaches the browser, and the browser's message the TCP occupant.
            room.sendMessage(toBrowser);
            browser.awaitLine("GOT " + toBrowser);
            browser.awaitLine("SENT " + fromBrowser);
            Message heard = (Message) romeo.receives("'" + fromBrowser + "' from " + browserInRoom,
                    stanza -> stanza instanceof Message message && fromBrowser.equals(message.getBody()));
            assertThat(heard.getType()).isEqualTo(Message.Type.groupchat);
            assertThat(heard.getFrom().toString()).isEqualTo(browserInRoom.toString());
            browser.passes();
        }
    }
}
