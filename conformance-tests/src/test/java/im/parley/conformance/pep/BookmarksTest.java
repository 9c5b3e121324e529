package im.parley.conformance.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.conformance.raw.RawXmppClient;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.bookmarks.BookmarkManager;
import org.jivesoftware.smackx.bookmarks.BookmarkedConference;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Bookmarks (XEP-0402) as Conversations and Dino keep them: each room an item of
 * {@code urn:xmpp:bookmarks:1}, published with publish-options, retracted with {@code notify};
 * the account's other clients hear of both. And the same bookmarks for a client of XEP-0048 on
 * private XML (Smack's {@code BookmarkManager}), both ways (XEP-0402 §5.3, XEP-0411 §3).
 */
class BookmarksTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String BOOKMARKS2 = "urn:xmpp:bookmarks:1";

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /** XEP-0402 §3.2, Example 4, as Conversations sends it. */
    private static String publish(String room, String name) {
        return "<iq type='set' id='%s'><pubsub xmlns='" + PUBSUB + "'><publish node='" + BOOKMARKS2 + "'>"
                + "<item id='" + room + "'><conference xmlns='" + BOOKMARKS2 + "' name='" + name + "' autojoin='true'>"
                + "<nick>Juliet</nick></conference></item></publish><publish-options>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>" + PUBSUB + "#publish-options</value></field>"
                + "<field var='pubsub#persist_items'><value>true</value></field>"
                + "<field var='pubsub#max_items'><value>max</value></field>"
                + "<field var='pubsub#send_last_published_item'><value>never</value></field>"
                + "<field var='pubsub#access_model'><value>whitelist</value></field>"
                + "</x></publish-options></pubsub></iq>";
    }

    /** XEP-0402 §3.1: all bookmarks, by room. */
    private static List<String> rooms(RawXmppClient client) {
        Element answer = client.iq("<iq type='get' id='%s'><pubsub xmlns='" + PUBSUB + "'><items node='" + BOOKMARKS2
                + "'/></pubsub></iq>");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("items", PUBSUB))
                .elements(QName.get("item", PUBSUB)).stream().map(i -> i.attributeValue("id")).toList();
    }

    private static RawXmppClient conversations(EntityBareJid account) {
        RawXmppClient raw = parley.raw();
        raw.login(account.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "conversations");
        return raw;
    }

    private static boolean isBookmarksEvent(Object stanza, String contains) {
        return stanza instanceof Message message && message.getType() == Message.Type.headline
                && message.toXML().toString().contains(BOOKMARKS2) && message.toXML().toString().contains(contains);
    }

    @Test
    @DisplayName("XEP-0402 §3, §4: a bookmark published with publish-options is retrieved, retracted, and the other client hears of both")
    void publishRetrieveAndRetractAsConversationsDoes() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient dino = parley.availableResource(juliet, "dino", 0);
        // XEP-0402 §3: "A client interested in bookmarks SHOULD include the '…+notify' feature" (via Smack's caps).
        PepManager.getInstanceFor(dino.connection()).addPepEventListener(BOOKMARKS2, SimplePayload.class, (from, payload, id, message) -> { });
        RawXmppClient phone = conversations(juliet);
        // The server has learnt what Dino's new caps mean once one of the phone's publishes reaches it.
        await("caps known").atMost(XmppClient.WAIT).untilAsserted(() -> {
            phone.iq(publish("probe@muc.test", "probe"));
            assertThat(dino.received(s -> isBookmarksEvent(s, "probe@muc.test"))).isNotEmpty();
        });

        Element published = phone.iq(publish("theplay@conference.shakespeare.lit", "The Play"));
        assertThat(published.attributeValue("type")).as(published.asXML()).isEqualTo("result");
        dino.receives("the new bookmark (§4)", s -> isBookmarksEvent(s, "theplay@conference.shakespeare.lit")
                && s.toXML().toString().contains("The Play"));
        assertThat(rooms(phone)).contains("theplay@conference.shakespeare.lit", "probe@muc.test");

        // XEP-0402 §3.3: retract with notify='true'.
        Element retracted = phone.iq("<iq type='set' id='%s'><pubsub xmlns='" + PUBSUB + "'><retract node='"
                + BOOKMARKS2 + "' notify='true'><item id='theplay@conference.shakespeare.lit'/></retract></pubsub></iq>");
        assertThat(retracted.attributeValue("type")).as(retracted.asXML()).isEqualTo("result");
        dino.receives("the retraction (§4)", s -> isBookmarksEvent(s, "<retract id='theplay@conference.shakespeare.lit'"));
        assertThat(rooms(phone)).containsExactly("probe@muc.test");
    }

    @Test
    @DisplayName("XEP-0402 §5.3, XEP-0411 §3: bookmarks in PEP and in private XML (XEP-0048 on XEP-0049) are the same, both ways")
    void aPrivateXmlClientAndAPepClientShareBookmarks() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        RawXmppClient phone = conversations(juliet);
        Element published = phone.iq(publish("theplay@conference.shakespeare.lit", "The Play"));
        assertThat(published.attributeValue("type")).as(published.asXML()).isEqualTo("result");

        XmppClient legacy = parley.availableResource(juliet, "legacy", 0);
        BookmarkManager bookmarks = BookmarkManager.getBookmarkManager(legacy.connection());
        assertThat(bookmarks.getBookmarkedConferences()).singleElement().satisfies(c -> {
            assertThat(c.getJid().toString()).isEqualTo("theplay@conference.shakespeare.lit");
            assertThat(c.getName()).isEqualTo("The Play");
            assertThat(c.isAutoJoin()).isTrue();
            assertThat(c.getNickname()).isEqualTo(Resourcepart.from("Juliet"));
        });

        bookmarks.addBookmarkedConference("Council", JidCreate.entityBareFrom("council@conference.underhill.org"), false,
                Resourcepart.from("Puck"), null);

        assertThat(rooms(phone)).containsExactlyInAnyOrder("theplay@conference.shakespeare.lit",
                "council@conference.underhill.org");
        assertThat(bookmarks.getBookmarkedConferences()).extracting(BookmarkedConference::getName)
                .containsExactlyInAnyOrder("The Play", "Council");
    }
}
