package im.parley.server.modules.bookmarks;

import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;
import static im.parley.server.modules.roster.RosterScript.response;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.modules.pep.PepScript;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Bookmarks in PEP (XEP-0402) and the same bookmarks for XEP-0048 clients, through private XML
 * (XEP-0049; XEP-0402 §5.3 "#compat", XEP-0411 §3) and the legacy PEP node ("#compat-pep").
 * Juliet has two resources: a modern client and a legacy one.
 */
class BookmarksModuleTest {

    private static final String JULIET = "juliet@parley.test";
    private static final String NURSE = "nurse@parley.test";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String BOOKMARKS2 = "urn:xmpp:bookmarks:1";
    private static final String LEGACY = "storage:bookmarks";

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient modern;
    private TestClient legacy;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir));
        server.user(JULIET).user(NURSE);
        modern = online(JULIET, "phone");
        legacy = online(JULIET, "desktop");
        modern.stanzas();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient online(String user, String resource) {
        TestClient client = server.login(user, resource);
        fetchRosterAndGoOnline(client);
        client.stanzas();
        return client;
    }

    private static Element iq(TestClient client, String xml) {
        send(client, xml);
        Element answer = response(client.stanzas(), "q");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer;
    }

    /** XEP-0402 §3.2, Example 4: what Conversations and Dino send. */
    private static String publishBookmark(String room, String conference) {
        return "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><publish node='" + BOOKMARKS2 + "'>"
                + "<item id='" + room + "'>" + conference + "</item></publish><publish-options>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>" + PUBSUB + "#publish-options</value></field>"
                + "<field var='pubsub#persist_items'><value>true</value></field>"
                + "<field var='pubsub#max_items'><value>max</value></field>"
                + "<field var='pubsub#send_last_published_item'><value>never</value></field>"
                + "<field var='pubsub#access_model'><value>whitelist</value></field>"
                + "</x></publish-options></pubsub></iq>";
    }

    /** XEP-0048 §3.2 through XEP-0049 §2.1. */
    private static String setPrivate(String storage) {
        return "<iq type='set' id='q'><query xmlns='jabber:iq:private'><storage xmlns='" + LEGACY + "'>" + storage
                + "</storage></query></iq>";
    }

    private Element privateBookmarks(TestClient client) {
        return iq(client, "<iq type='get' id='q'><query xmlns='jabber:iq:private'><storage xmlns='" + LEGACY
                + "'/></query></iq>").element(QName.get("query", "jabber:iq:private")).element(QName.get("storage", LEGACY));
    }

    private List<Element> items(TestClient client, String node) {
        return iq(client, "<iq type='get' id='q'><pubsub xmlns='" + PUBSUB + "'><items node='" + node + "'/></pubsub></iq>")
                .element(QName.get("pubsub", PUBSUB)).element(QName.get("items", PUBSUB))
                .elements(QName.get("item", PUBSUB));
    }

    private static Element conference(Element item) {
        return item.element(QName.get("conference", BOOKMARKS2));
    }

    @Test
    void aBookmarkPublishedInPepIsReadThroughPrivateXml() {
        iq(modern, publishBookmark("theplay@conference.shakespeare.lit",
                "<conference xmlns='" + BOOKMARKS2 + "' name='The Play&apos;s the Thing' autojoin='true'><nick>JC</nick>"
                        + "</conference>"));

        // XEP-0411 §3: "a service MUST support conversion from PEP to Private XML and vice versa".
        Element storage = privateBookmarks(legacy);
        assertThat(storage.elements()).singleElement().satisfies(c -> {
            assertThat(c.getQName()).isEqualTo(QName.get("conference", LEGACY));
            assertThat(c.attributeValue("jid")).isEqualTo("theplay@conference.shakespeare.lit");
            assertThat(c.attributeValue("name")).isEqualTo("The Play's the Thing");
            assertThat(c.attributeValue("autojoin")).isEqualTo("true");
            assertThat(c.elementText(QName.get("nick", LEGACY))).isEqualTo("JC");
        });
    }

    /**
     * XEP-0060 §16.4.4 {@code pubsub#item_expire} on the bookmarks node: an expired bookmark is
     * gone for the compatibility too, not only for the node's own readers.
     */
    @Test
    void anExpiredBookmarkIsNotReadThroughPrivateXml_xep0060_16_4_4() throws Exception {
        server.close();
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T12:00:00Z"));
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir), clock,
                ModuleCatalog.discover());
        modern = online(JULIET, "phone");
        legacy = online(JULIET, "desktop");
        modern.stanzas();
        iq(modern, publishBookmark("old@conference.shakespeare.lit", "<conference xmlns='" + BOOKMARKS2 + "'/>"));
        iq(modern, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "#owner'><configure node='" + BOOKMARKS2 + "'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>" + PUBSUB + "#node_config</value></field>"
                + "<field var='pubsub#item_expire'><value>60</value></field></x></configure></pubsub></iq>");
        clock.advance(Duration.ofSeconds(30));
        iq(modern, publishBookmark("new@conference.shakespeare.lit", "<conference xmlns='" + BOOKMARKS2 + "'/>"));
        clock.advance(Duration.ofSeconds(31));

        assertThat(privateBookmarks(legacy).elements()).extracting(c -> c.attributeValue("jid"))
                .containsExactly("new@conference.shakespeare.lit");
    }

    @Test
    void aPrivateXmlListBecomesPepItemsThatOnlyTheOwnerSees() {
        iq(legacy, setPrivate("<conference jid='council@conference.underhill.org' name='Council of Oberon' autojoin='1'>"
                + "<nick>Puck</nick><password>titania</password></conference>"
                + "<url name='Complete Works' url='http://the-tech.mit.edu/Shakespeare/'/>"));

        // XEP-0402 §2: one item per room, its id the room's JID.
        assertThat(items(modern, BOOKMARKS2)).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("id")).isEqualTo("council@conference.underhill.org");
            assertThat(conference(item).attributeValue("name")).isEqualTo("Council of Oberon");
            assertThat(conference(item).attributeValue("autojoin")).isEqualTo("true");
            assertThat(conference(item).elementText(QName.get("nick", BOOKMARKS2))).isEqualTo("Puck");
            assertThat(conference(item).elementText(QName.get("password", BOOKMARKS2))).isEqualTo("titania");
        });
        // XEP-0402 §3.2: the node the server made is whitelist, like a client's: the Nurse may not read it.
        TestClient nurse = online(NURSE, "kitchen");
        send(nurse, "<iq type='get' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB + "'><items node='"
                + BOOKMARKS2 + "'/></pubsub></iq>");
        assertThat(response(nurse.stanzas(), "q").asXML()).contains("type=\"error\"").contains("closed-node");
        // XEP-0402 §1 drops URL bookmarks: XEP-0048 clients still get theirs back.
        assertThat(privateBookmarks(legacy).elements()).extracting(Element::getName).containsExactly("conference", "url");
    }

    @Test
    void aLegacyListChangesOnlyTheItemsThatDifferAndKeepsTheirExtensions() {
        iq(modern, publishBookmark("a@muc.test", "<conference xmlns='" + BOOKMARKS2 + "' name='A'><extensions>"
                + "<state xmlns='urn:example:client'>pinned</state></extensions></conference>"));
        iq(modern, publishBookmark("b@muc.test", "<conference xmlns='" + BOOKMARKS2 + "' name='B'/>"));
        iq(modern, publishBookmark("c@muc.test", "<conference xmlns='" + BOOKMARKS2 + "' name='C'/>"));
        String unchanged = items(modern, BOOKMARKS2).stream().filter(i -> "b@muc.test".equals(i.attributeValue("id")))
                .findFirst().orElseThrow().asXML();

        // A legacy client renames A, keeps B, drops C and adds D.
        iq(legacy, setPrivate("<conference jid='a@muc.test' name='A2'/><conference jid='b@muc.test' name='B'/>"
                + "<conference jid='d@muc.test' name='D' autojoin='true'/>"));

        List<Element> items = items(modern, BOOKMARKS2);
        assertThat(items).extracting(i -> i.attributeValue("id"))
                .containsExactlyInAnyOrder("a@muc.test", "b@muc.test", "d@muc.test");
        Element a = items.stream().filter(i -> "a@muc.test".equals(i.attributeValue("id"))).findFirst().orElseThrow();
        assertThat(conference(a).attributeValue("name")).isEqualTo("A2");
        // XEP-0402 §2.2: "Clients MUST preserve these (particularly preserving unknown elements)".
        assertThat(conference(a).asXML()).contains("pinned");
        assertThat(items.stream().filter(i -> "b@muc.test".equals(i.attributeValue("id"))).findFirst().orElseThrow().asXML())
                .as("XEP-0402 §5.3.2: an unchanged item is not published again").isEqualTo(unchanged);
    }

    @Test
    void aLegacyPepNodeFollowsAndIsFollowed() {
        iq(modern, publishBookmark("a@muc.test", "<conference xmlns='" + BOOKMARKS2 + "' name='A'/>"));
        // XEP-0048 §3.3: the whole list in item 'current' of the storage:bookmarks node.
        assertThat(items(legacy, LEGACY)).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("id")).isEqualTo("current");
            assertThat(item.asXML()).contains("jid=\"a@muc.test\"").contains("name=\"A\"");
        });

        iq(legacy, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><publish node='" + LEGACY + "'><item id='current'>"
                + "<storage xmlns='" + LEGACY + "'><conference jid='a@muc.test' name='A'/>"
                + "<conference jid='e@muc.test' name='E' autojoin='true'><nick>Romeo</nick></conference></storage>"
                + "</item></publish></pubsub></iq>");

        assertThat(items(modern, BOOKMARKS2)).extracting(i -> i.attributeValue("id"))
                .containsExactlyInAnyOrder("a@muc.test", "e@muc.test");

        // Something that is no bookmark list (XEP-0048 §3.3 has a <storage/>) changes nothing.
        iq(legacy, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><publish node='" + LEGACY + "'><item id='current'>"
                + "<notes xmlns='urn:example:notes'/></item></publish></pubsub></iq>");
        assertThat(items(modern, BOOKMARKS2)).hasSize(2);
    }

    @Test
    void aPrivateXmlChangeNotifiesTheModernClientOfTheChangedItemOnly() {
        Element wantsBookmarks = PepScript.discoQuery(BOOKMARKS2 + "+notify");
        send(modern, PepScript.capsPresence(wantsBookmarks));
        PepScript.answerCapsQueries(modern, wantsBookmarks);
        iq(modern, publishBookmark("a@muc.test", "<conference xmlns='" + BOOKMARKS2 + "' name='A'/>"));
        modern.stanzas();

        iq(legacy, setPrivate("<conference jid='a@muc.test' name='A' autojoin='false'/>"
                + "<conference jid='b@muc.test' name='B'/>"));

        // XEP-0402 §4 notifications; §5.3.2: "SHOULD NOT send notifications for unchanged items".
        List<Element> got = PepScript.notifications(modern.stanzas());
        assertThat(got).singleElement().satisfies(m -> assertThat(m.asXML())
                .contains("node=\"" + BOOKMARKS2 + "\"").contains("id=\"b@muc.test\"").doesNotContain("a@muc.test"));
    }

    @Test
    void aListKeptInPrivateXmlBeforeTheModuleRanMovesToPep() throws Exception {
        // What XEP-0049 storage held before bookmarks lived in PEP.
        server.storage().privateXml().save(JidCreate.entityBareFrom(JULIET), LEGACY, "storage", "<storage xmlns='"
                + LEGACY + "'><conference jid='old@muc.test' name='Old' autojoin='true'/></storage>");

        assertThat(privateBookmarks(legacy).elements()).extracting(c -> c.attributeValue("jid"))
                .containsExactly("old@muc.test");
        // XEP-0411 §3 ("copied from Private XML to PEP"): the modern client sees it too.
        assertThat(items(modern, BOOKMARKS2)).extracting(i -> i.attributeValue("id")).containsExactly("old@muc.test");

        // Deleting the last bookmark in PEP does not bring the old list back.
        iq(modern, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><retract node='" + BOOKMARKS2 + "' notify='true'>"
                + "<item id='old@muc.test'/></retract></pubsub></iq>");
        assertThat(privateBookmarks(legacy).elements()).isEmpty();
        assertThat(items(modern, BOOKMARKS2)).isEmpty();
    }

    @Test
    void aListKeptInPrivateXmlBeforeTheModuleRanIsInPepWhenAModernClientLogsIn() throws Exception {
        // What XEP-0049 storage held before bookmarks lived in PEP; no client reads private XML.
        server.storage().privateXml().save(JidCreate.entityBareFrom(JULIET), LEGACY, "storage", "<storage xmlns='"
                + LEGACY + "'><conference jid='old@muc.test' name='Old' autojoin='true'><nick>Jules</nick></conference>"
                + "</storage>");

        // XEP-0411 §3: "the data gets copied from Private XML to PEP before the user logs in".
        TestClient tablet = server.login(JULIET, "tablet");
        assertThat(items(tablet, BOOKMARKS2)).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("id")).isEqualTo("old@muc.test");
            assertThat(conference(item).attributeValue("name")).isEqualTo("Old");
            assertThat(conference(item).attributeValue("autojoin")).isEqualTo("true");
            assertThat(conference(item).elementText(QName.get("nick", BOOKMARKS2))).isEqualTo("Jules");
        });
        // XEP-0402 §5.3 "#compat-pep": the legacy PEP node holds the same list.
        assertThat(items(tablet, LEGACY)).singleElement().satisfies(item ->
                assertThat(item.asXML()).contains("jid=\"old@muc.test\""));
    }

    @Test
    void aLoginDoesNotBringBackBookmarksDeletedInPep() throws Exception {
        server.storage().privateXml().save(JidCreate.entityBareFrom(JULIET), LEGACY, "storage", "<storage xmlns='"
                + LEGACY + "'><conference jid='old@muc.test' name='Old'/></storage>");
        assertThat(items(server.login(JULIET, "tablet"), BOOKMARKS2)).hasSize(1);
        iq(modern, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><retract node='" + BOOKMARKS2 + "' notify='true'>"
                + "<item id='old@muc.test'/></retract></pubsub></iq>");

        assertThat(items(server.login(JULIET, "laptop"), BOOKMARKS2)).isEmpty();
    }

    @Test
    void theAccountAnnouncesTheCompatibility() {
        Element info = iq(modern, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns="
                + "'http://jabber.org/protocol/disco#info'/></iq>");
        // XEP-0402 §5.3 and XEP-0411 §2, on the account.
        assertThat(info.asXML()).contains(BOOKMARKS2 + "#compat\"").contains(BOOKMARKS2 + "#compat-pep\"")
                .contains("urn:xmpp:bookmarks-conversion:0");
    }
}
