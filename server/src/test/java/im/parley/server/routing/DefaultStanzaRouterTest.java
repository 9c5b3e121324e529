package im.parley.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.EventBus;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.IqHandlers;
import im.parley.server.session.LocalSession;
import im.parley.server.session.SessionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.junit.jupiter.api.Test;

/** Local routing rules: RFC 6120 §8 and §10, RFC 6121 §8.5. */
class DefaultStanzaRouterTest {

    /** A session that records what it is given. */
    static final class RecordingSession implements LocalSession {
        final EntityFullJid jid;
        final List<Element> received = new ArrayList<>();
        boolean available = true;
        int priority;

        RecordingSession(String jid) throws Exception {
            this.jid = Jids.parse(jid).asEntityFullJidIfPossible();
        }

        @Override
        public EntityFullJid jid() {
            return jid;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public void updatePresence(boolean isAvailable, int newPriority) {
            this.available = isAvailable;
            this.priority = newPriority;
        }

        @Override
        public String id() {
            return jid.toString();
        }

        @Override
        public void deliver(Element stanza) {
            received.add(stanza);
        }

        @Override
        public void close(StreamError error) {
        }
    }

    static final class RecordingRemote implements RemoteRouter {
        final List<Stanza> routed = new ArrayList<>();

        @Override
        public void start(StanzaRouter local) {
        }

        @Override
        public void route(Stanza stanza) {
            routed.add(stanza);
        }

        @Override
        public void stop() {
        }
    }

    private final EventBus events = new EventBus();
    private final SessionRegistry sessions = new SessionRegistry(events);
    private final IqHandlers iqHandlers = new IqHandlers();
    private final RecordingRemote remote = new RecordingRemote();
    private final DefaultStanzaRouter router;
    private final RecordingSession romeo;
    private final RecordingSession juliet;

    DefaultStanzaRouterTest() throws Exception {
        router = new DefaultStanzaRouter(Set.of(Jids.parseDomain("montague.test"), Jids.parseDomain("capulet.test")),
                sessions, iqHandlers, remote, events, new AccountSequencer());
        romeo = new RecordingSession("romeo@montague.test/orchard");
        juliet = new RecordingSession("juliet@capulet.test/balcony");
        sessions.bind(romeo);
        sessions.bind(juliet);
    }

    private static Stanza stanza(String kind, String type, Jid from, String to) throws Exception {
        Element element = DocumentHelper.createElement(QName.get(kind, Namespaces.CLIENT));
        element.addAttribute("id", "s1");
        if (type != null) {
            element.addAttribute("type", type);
        }
        element.addAttribute("from", from.toString());
        if (to != null) {
            element.addAttribute("to", to);
        }
        return new Stanza(element, from, to == null ? null : Jids.parse(to));
    }

    private static String errorCondition(Element stanza) {
        Element error = stanza.element("error");
        return error == null ? null : error.elements().get(0).getName();
    }

    @Test
    void messageToFullJidIsDelivered_rfc6121_8_5_3_1() throws Exception {
        router.route(stanza("message", "chat", romeo.jid, "juliet@capulet.test/balcony"));

        assertThat(juliet.received).hasSize(1);
    }

    @Test
    void messageToBareJidGoesToHighestNonNegativePriority_rfc6121_8_5_2_1_1() throws Exception {
        RecordingSession other = new RecordingSession("juliet@capulet.test/chamber");
        other.priority = 5;
        sessions.bind(other);
        RecordingSession negative = new RecordingSession("juliet@capulet.test/hidden");
        negative.priority = -1;
        sessions.bind(negative);

        router.route(stanza("message", "chat", romeo.jid, "juliet@capulet.test"));

        assertThat(other.received).hasSize(1);
        assertThat(juliet.received).isEmpty();
        assertThat(negative.received).isEmpty();
    }

    @Test
    void messageToOfflineFullJidFallsBackToBareJid_rfc6121_8_5_3_2_1() throws Exception {
        router.route(stanza("message", "chat", romeo.jid, "juliet@capulet.test/gone"));

        assertThat(juliet.received).hasSize(1);
    }

    @Test
    void messageToUnavailableAccountBouncesServiceUnavailable_rfc6121_8_5_2_2_1() throws Exception {
        juliet.available = false;

        router.route(stanza("message", "chat", romeo.jid, "juliet@capulet.test"));

        assertThat(juliet.received).isEmpty();
        assertThat(romeo.received).singleElement().satisfies(e -> {
            assertThat(e.attributeValue("type")).isEqualTo("error");
            assertThat(errorCondition(e)).isEqualTo("service-unavailable");
            assertThat(e.attributeValue("to")).isEqualTo(romeo.jid.toString());
        });
    }

    @Test
    void errorsAreNeverAnsweredWithErrors_rfc6120_8_3_1() throws Exception {
        juliet.available = false;

        router.route(stanza("message", "error", romeo.jid, "juliet@capulet.test"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void iqToServerWithUnknownNamespaceIsServiceUnavailable_rfc6120_8_4() throws Exception {
        Stanza iq = stanza("iq", "get", romeo.jid, "montague.test");
        iq.element().addElement(QName.get("query", "urn:example:unknown"));

        router.route(iq);

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void iqToBareJidWithUnknownNamespaceIsServiceUnavailable_rfc6121_8_5_2_1_3() throws Exception {
        Stanza iq = stanza("iq", "get", romeo.jid, "juliet@capulet.test");
        iq.element().addElement(QName.get("query", "urn:example:unknown"));

        router.route(iq);

        assertThat(juliet.received).isEmpty();
        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void iqResultsAreNeverAnswered_rfc6120_8_2_3() throws Exception {
        router.route(stanza("iq", "result", romeo.jid, "montague.test"));
        router.route(stanza("iq", "error", romeo.jid, "juliet@capulet.test/gone"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void iqWithoutPayloadIsBadRequest_rfc6120_8_2_3() throws Exception {
        router.route(stanza("iq", "get", romeo.jid, "montague.test"));

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("bad-request"));
    }

    @Test
    void registeredServerIqHandlerAnswers() throws Exception {
        iqHandlers.registerServer("urn:xmpp:ping", iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        Stanza ping = stanza("iq", "get", romeo.jid, "montague.test");
        ping.element().addElement(QName.get("ping", "urn:xmpp:ping"));

        router.route(ping);

        assertThat(romeo.received).singleElement().satisfies(e -> {
            assertThat(e.attributeValue("type")).isEqualTo("result");
            assertThat(e.attributeValue("id")).isEqualTo("s1");
            assertThat(e.attributeValue("from")).isEqualTo("montague.test");
        });
    }

    @Test
    void iqWithoutToIsHandledForTheSendersAccount_rfc6120_10_3_3() throws Exception {
        iqHandlers.registerAccount("jabber:iq:roster", iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        Stanza get = stanza("iq", "get", romeo.jid, null);
        get.element().addElement(QName.get("query", "jabber:iq:roster"));

        router.route(get);

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(e.attributeValue("type")).isEqualTo("result"));
    }

    @Test
    void iqToOfflineFullJidIsServiceUnavailable_rfc6121_8_5_3_2_2() throws Exception {
        Stanza iq = stanza("iq", "get", romeo.jid, "juliet@capulet.test/gone");
        iq.element().addElement(QName.get("ping", "urn:xmpp:ping"));

        router.route(iq);

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void stanzasForRemoteDomainsGoToTheRemoteRouter_rfc6120_10_4() throws Exception {
        router.route(stanza("message", "chat", romeo.jid, "someone@elsewhere.example"));

        assertThat(remote.routed).hasSize(1);
        assertThat(romeo.received).isEmpty();
    }

    @Test
    void headlineToUnavailableAccountIsDroppedQuietly_rfc6121_8_5_2_2_1() throws Exception {
        juliet.available = false;

        router.route(stanza("message", "headline", romeo.jid, "juliet@capulet.test"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void presenceToBareJidGoesToEveryAvailableResource_rfc6121_8_5_2_1_2() throws Exception {
        RecordingSession other = new RecordingSession("juliet@capulet.test/chamber");
        sessions.bind(other);

        router.route(stanza("presence", null, romeo.jid, "juliet@capulet.test"));

        assertThat(juliet.received).hasSize(1);
        assertThat(other.received).hasSize(1);
    }

    @Test
    void offlineHandlerTakesMessagesNoResourceCanReceive() throws Exception {
        juliet.available = false;
        List<Stanza> stored = new ArrayList<>();
        events.hook(StanzaEvents.MESSAGE_OFFLINE, 0, e -> {
            stored.add(e.stanza());
            return Verdict.HANDLED;
        });

        router.route(stanza("message", "chat", romeo.jid, "juliet@capulet.test"));

        assertThat(stored).hasSize(1);
        assertThat(romeo.received).isEmpty();
    }

    @Test
    void outboundHandlersSeeClientStanzasFirst() throws Exception {
        events.hook(StanzaEvents.OUTBOUND, 0, e -> Verdict.HANDLED);

        router.routeFromClient(stanza("message", "chat", romeo.jid, "juliet@capulet.test/balcony"), romeo, Handling.none());

        assertThat(juliet.received).isEmpty();
    }

    @Test
    void clientPresenceWithoutToSetsAvailabilityAndPriority_rfc6121_4_7_2_3() throws Exception {
        Stanza presence = stanza("presence", null, romeo.jid, null);
        presence.element().addElement(QName.get("priority", Namespaces.CLIENT)).setText("7");
        romeo.available = false;

        router.routeFromClient(presence, romeo, Handling.none());

        assertThat(romeo.available).isTrue();
        assertThat(romeo.priority).isEqualTo(7);
        router.routeFromClient(stanza("presence", "unavailable", romeo.jid, null), romeo, Handling.none());
        assertThat(romeo.available).isFalse();
    }
}
