package im.parley.server.modules.presence;

import static im.parley.server.modules.roster.RosterScript.befriend;
import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;
import static im.parley.server.modules.roster.RosterScript.presences;
import static im.parley.server.modules.roster.RosterScript.pushedItems;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.storage.Subscription;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presence subscriptions between two local users (RFC 6121 §3), end to end. */
class SubscriptionHandshakeTest {

    private static final String ROMEO = "romeo@parley.test";
    private static final String JULIET = "juliet@parley.test";

    @TempDir
    Path dir;
    private TestServer server;
    private final InlinePool pool = new InlinePool();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir),
                Clock.systemDefaultZone(), ModuleCatalog.discover(), pool);
        server.user(ROMEO).user(JULIET);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void handshakeInBothDirectionsEndsInBoth() {
        TestClient romeo = online(ROMEO, "orchard");
        TestClient juliet = online(JULIET, "balcony");

        // §3.1.1, §3.1.2: the request is stamped with the user's bare JID; the roster says "ask".
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'><status>It is I</status></presence>");
        assertThat(pushedItems(romeo.stanzas())).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("jid")).isEqualTo(JULIET);
            assertThat(item.attributeValue("subscription")).isEqualTo("none");
            assertThat(item.attributeValue("ask")).isEqualTo("subscribe");
        });
        // §3.1.3: the contact's available resources get the request, from the bare JID.
        assertThat(presences(juliet.stanzas())).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("type")).isEqualTo("subscribe");
            assertThat(p.attributeValue("from")).isEqualTo(ROMEO);
            assertThat(p.elementText("status")).isEqualTo("It is I");
        });

        // §3.1.5: approval: the contact's roster says "from"; the user gets "subscribed", a push
        // with "to" and the contact's current presence.
        send(juliet, "<presence to='romeo@parley.test' type='subscribed'/>");
        assertThat(pushedItems(juliet.stanzas())).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("from"));
        List<Element> romeoGot = romeo.stanzas();
        assertThat(pushedItems(romeoGot)).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("subscription")).isEqualTo("to");
            assertThat(item.attributeValue("ask")).isNull();
        });
        assertThat(presences(romeoGot, "subscribed")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(JULIET));
        assertThat(presences(romeoGot, null)).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(JULIET + "/balcony"));

        // The other direction (§3.1 again) ends in "both" on each side.
        send(juliet, "<presence to='romeo@parley.test' type='subscribe'/>");
        assertThat(pushedItems(juliet.stanzas())).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("subscription")).isEqualTo("from");
            assertThat(item.attributeValue("ask")).isEqualTo("subscribe");
        });
        assertThat(presences(romeo.stanzas(), "subscribe")).hasSize(1);
        send(romeo, "<presence to='juliet@parley.test' type='subscribed'/>");
        assertThat(pushedItems(romeo.stanzas())).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("both"));
        List<Element> julietGot = juliet.stanzas();
        assertThat(pushedItems(julietGot)).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("both"));
        assertThat(presences(julietGot, null)).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));

        assertThat(state(ROMEO, JULIET)).isEqualTo(new SubscriptionState(Subscription.BOTH, false, false, false));
        assertThat(state(JULIET, ROMEO)).isEqualTo(new SubscriptionState(Subscription.BOTH, false, false, false));
    }

    @Test
    void requestToAnOfflineContactIsDeliveredAtEachLoginUntilAnsweredAndNeverTwice() {
        TestClient romeo = online(ROMEO, "orchard");

        // §3.1.3 rule 4: the contact has no available resource: the server keeps the request;
        // a second request replaces the first ("deliver only the most recent request").
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'><status>first</status></presence>");
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'><status>second</status></presence>");

        TestClient juliet = server.login(JULIET, "balcony");
        send(juliet, "<presence/>");
        assertThat(presences(juliet.stanzas(), "subscribe")).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("type")).isEqualTo("subscribe");
            assertThat(p.attributeValue("from")).isEqualTo(ROMEO);
            assertThat(p.elementText("status")).isEqualTo("second");
        });

        // Unanswered: a later available resource gets it again, once.
        juliet.drop();
        TestClient julietAgain = server.login(JULIET, "garden");
        send(julietAgain, "<presence/>");
        assertThat(presences(julietAgain.stanzas(), "subscribe")).hasSize(1);

        send(julietAgain, "<presence to='romeo@parley.test' type='subscribed'/>");
        julietAgain.drop();
        TestClient julietLater = server.login(JULIET, "chamber");
        send(julietLater, "<presence/>");
        assertThat(presences(julietLater.stanzas(), "subscribe")).isEmpty();
        assertThat(state(ROMEO, JULIET).subscription()).isEqualTo(Subscription.TO);
    }

    @Test
    void unsubscribeAndUnsubscribedCancelBothDirections() {
        TestClient romeo = online(ROMEO, "orchard");
        TestClient juliet = online(JULIET, "balcony");
        befriend(romeo, juliet);

        // §3.3.2, §3.3.3: Romeo stops receiving Juliet's presence; Juliet's server tells Juliet
        // and sends Romeo unavailable presence from her resources.
        send(romeo, "<presence to='juliet@parley.test' type='unsubscribe'/>");
        List<Element> romeoGot = romeo.stanzas();
        assertThat(pushedItems(romeoGot)).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("from"));
        assertThat(presences(romeoGot, "unavailable")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(JULIET + "/balcony"));
        List<Element> julietGot = juliet.stanzas();
        assertThat(presences(julietGot, "unsubscribe")).hasSize(1);
        assertThat(pushedItems(julietGot)).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("to"));

        // §3.2.2, §3.2.3: Romeo revokes Juliet's subscription to his presence.
        send(romeo, "<presence to='juliet@parley.test' type='unsubscribed'/>");
        assertThat(pushedItems(romeo.stanzas())).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("none"));
        julietGot = juliet.stanzas();
        assertThat(presences(julietGot, "unsubscribed")).hasSize(1);
        assertThat(presences(julietGot, "unavailable")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));
        assertThat(pushedItems(julietGot)).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("none"));

        assertThat(state(ROMEO, JULIET)).isEqualTo(SubscriptionState.NONE);
        assertThat(state(JULIET, ROMEO)).isEqualTo(SubscriptionState.NONE);
    }

    @Test
    void preApprovedRequestIsApprovedByTheServer() {
        TestClient romeo = online(ROMEO, "orchard");
        TestClient juliet = online(JULIET, "balcony");

        // §3.4.1: "subscribed" without a pending request is a pre-approval; nothing is routed.
        send(juliet, "<presence to='romeo@parley.test' type='subscribed'/>");
        assertThat(pushedItems(juliet.stanzas())).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("subscription")).isEqualTo("none");
            assertThat(item.attributeValue("approved")).isEqualTo("true");
        });
        assertThat(romeo.stanzas()).isEmpty();

        // §3.4.2: Romeo's later request is approved by Juliet's server at once.
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'/>");
        List<Element> romeoGot = romeo.stanzas();
        assertThat(presences(romeoGot, "subscribed")).hasSize(1);
        assertThat(presences(romeoGot, null)).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(JULIET + "/balcony"));
        List<Element> julietGot = juliet.stanzas();
        assertThat(presences(julietGot, "subscribe")).isEmpty();
        assertThat(pushedItems(julietGot)).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("subscription")).isEqualTo("from");
            assertThat(item.attributeValue("approved")).isNull();
        });
        assertThat(state(ROMEO, JULIET).subscription()).isEqualTo(Subscription.TO);
    }

    @Test
    void requestFromAnAlreadySubscribedContactIsAnsweredByTheServer() throws Exception {
        TestClient romeo = online(ROMEO, "orchard");
        TestClient juliet = online(JULIET, "balcony");
        befriend(romeo, juliet);
        // Romeo's server lost the approval (Romeo is back to "None + Pending Out") while
        // Juliet's roster still says "both".
        server.storage().rosters().update(Jids.parseEntityBare(ROMEO), Jids.parse(JULIET).asBareJid(),
                current -> new SubscriptionState(Subscription.NONE, true, false, false)
                        .applyTo(current, current.item().orElseThrow().contact(), null));

        // §3.1.3 rule 2: Juliet's server answers "subscribed" itself and does not bother Juliet.
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'/>");

        assertThat(presences(romeo.stanzas(), "subscribed")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(JULIET));
        assertThat(juliet.stanzas()).isEmpty();
        assertThat(state(ROMEO, JULIET).subscription()).isEqualTo(Subscription.TO);
    }

    @Test
    void unsolicitedSubscribedIsIgnored() throws Exception {
        TestClient romeo = online(ROMEO, "orchard");

        // A.3.3: "subscribed" while the user has no request pending changes nothing and is not
        // delivered (as if Juliet's server had sent it on its own).
        Element subscribed = DocumentHelper.createElement(QName.get("presence", "jabber:client"));
        subscribed.addAttribute("from", JULIET);
        subscribed.addAttribute("to", ROMEO);
        subscribed.addAttribute("type", "subscribed");
        server.router().route(new Stanza(subscribed, Jids.parse(JULIET), Jids.parse(ROMEO)));

        assertThat(romeo.stanzas()).isEmpty();
        assertThat(state(ROMEO, JULIET)).isEqualTo(SubscriptionState.NONE);
    }

    @Test
    void subscriptionRequestToAnUnknownAccountIsSilentlyIgnored() {
        // RFC 6121 §8.5.1: "For a presence stanza of type "subscribe" [...] the server MUST
        // silently ignore the stanza" (RFC 3921 answered unsubscribed).
        TestClient romeo = online(ROMEO, "orchard");

        send(romeo, "<presence to='nobody@parley.test' type='subscribe'/>");

        assertThat(romeo.stanzas()).filteredOn(s -> "nobody@parley.test".equals(s.attributeValue("from"))).isEmpty();
        assertThat(state(ROMEO, "nobody@parley.test")).as("still waiting for an answer (§3.1.2)")
                .isEqualTo(new SubscriptionState(Subscription.NONE, true, false, false));
    }

    /**
     * A subscription stanza whose change the server cannot store now (its blocking pool refuses
     * the write) is not dropped without a word: the sender gets a presence error, {@code
     * resource-constraint} of type {@code wait} (RFC 6120 §8.3, §8.3.3.18), at each end.
     */
    @Test
    void aSubscriptionTheServerCannotStoreNowBouncesWithATemporaryError() {
        TestClient romeo = online(ROMEO, "orchard");
        TestClient juliet = online(JULIET, "balcony");

        // The user's own server (Appendix A.2): Romeo's side of the change is refused.
        pool.refuseNext(1);
        send(romeo, "<presence to='juliet@parley.test' type='subscribe' id='s1'/>");

        assertThat(presences(romeo.stanzas(), "error")).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("id")).isEqualTo("s1");
            assertThat(error.element("error").attributeValue("type")).isEqualTo("wait");
            assertThat(error.element("error").elements()).extracting(Element::getName).contains("resource-constraint");
        });
        assertThat(juliet.stanzas()).isEmpty();
        assertThat(state(ROMEO, JULIET)).isEqualTo(SubscriptionState.NONE);

        // The contact's server (Appendix A.3): Romeo's side is stored, Juliet's is refused.
        pool.refuse(1, 1);
        send(romeo, "<presence to='juliet@parley.test' type='subscribe' id='s2'/>");

        List<Element> romeoGot = romeo.stanzas();
        assertThat(presences(romeoGot, "error")).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("id")).isEqualTo("s2");
            assertThat(error.attributeValue("from")).isEqualTo(JULIET);
            assertThat(error.element("error").elements()).extracting(Element::getName).contains("resource-constraint");
        });
        assertThat(presences(juliet.stanzas(), "subscribe")).isEmpty();
        assertThat(state(JULIET, ROMEO)).isEqualTo(SubscriptionState.NONE);

        // Sent again once the server can take it, it goes through.
        send(romeo, "<presence to='juliet@parley.test' type='subscribe' id='s3'/>");
        assertThat(presences(juliet.stanzas(), "subscribe")).hasSize(1);
    }

    private TestClient online(String user, String resource) {
        TestClient client = server.login(user, resource);
        fetchRosterAndGoOnline(client);
        client.stanzas();
        return client;
    }

    private SubscriptionState state(String owner, String contact) {
        try {
            return SubscriptionState.of(server.storage().rosters().contact(Jids.parseEntityBare(owner),
                    Jids.parse(contact).asBareJid()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
