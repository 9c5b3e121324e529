package im.parley.server.modules.presence;

import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Every row of RFC 6121 Appendix A through the running server: Romeo's stored state towards a
 * contact is set up, a subscription stanza goes out from Romeo's client (A.2) or comes in for
 * Romeo as the contact's server would send it (A.3), and the stored state must be the table's.
 * Contacts are on a remote domain so only Romeo's side of each transition runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppendixATransitionsTest {

    private TestServer server;
    private TestClient romeo;
    private EntityBareJid romeoJid;
    private final AtomicInteger contacts = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user("romeo@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
        fetchRosterAndGoOnline(romeo);
        romeoJid = Jids.parseEntityBare("romeo@parley.test");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static Stream<Arguments> outbound() {
        return SubscriptionStateTest.table(SubscriptionStateTest.OUTBOUND);
    }

    static Stream<Arguments> inbound() {
        return SubscriptionStateTest.table(SubscriptionStateTest.INBOUND);
    }

    @ParameterizedTest(name = "RFC 6121 A.2: {0} + outbound {1} -> {2}")
    @MethodSource("outbound")
    void outboundStanzaFromTheClient(String state, SubscriptionType type, String expected) throws Exception {
        BareJid contact = seed(state);

        send(romeo, "<presence to='" + contact + "' type='" + type.attributeValue() + "'/>");

        assertThat(SubscriptionStateTest.format(SubscriptionStateTest.withoutApproval(stored(contact))))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "RFC 6121 A.3: {0} + inbound {1} -> {2}")
    @MethodSource("inbound")
    void inboundStanzaFromTheContactsServer(String state, SubscriptionType type, String expected) throws Exception {
        BareJid contact = seed(state);
        Element presence = DocumentHelper.createElement(QName.get("presence", "jabber:client"));
        presence.addAttribute("from", contact.toString());
        presence.addAttribute("to", romeoJid.toString());
        presence.addAttribute("type", type.attributeValue());

        server.router().route(new Stanza(presence, contact, romeoJid));

        assertThat(SubscriptionStateTest.format(stored(contact))).isEqualTo(expected);
    }

    private BareJid seed(String state) throws Exception {
        romeo.stanzas();
        BareJid contact = Jids.parse("contact" + contacts.incrementAndGet() + "@remote.test").asBareJid();
        SubscriptionState seeded = SubscriptionStateTest.parse(state);
        String request = "<presence xmlns='jabber:client' from='" + contact + "' to='romeo@parley.test' type='subscribe'/>";
        server.storage().rosters().update(romeoJid, contact, current -> seeded.applyTo(current, contact, request));
        assertThat(stored(contact)).isEqualTo(seeded);
        return contact;
    }

    private SubscriptionState stored(BareJid contact) {
        return SubscriptionState.of(server.storage().rosters().contact(romeoJid, contact));
    }
}
