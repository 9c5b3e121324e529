package im.parley.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.host.HostRegistry;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.ModuleEnvironment;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.config.ParleyConfig;
import java.time.Clock;
import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.testing.RecordingSession;
import im.parley.server.session.RouteTable;
import im.parley.server.http.HttpServices;
import im.parley.server.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing rules (RFC 6120 §8 and §10, RFC 6121 §8.5) with the router and the delivery module:
 * addressed events on the destination host, route handlers for other domains, one set of
 * bounce rules.
 */
class DefaultStanzaRouterTest {

    /** A route handler that claims one domain, or every domain, and records what it gets. */
    static final class RecordingRoute implements RouteHandler {
        final DomainBareJid claimed;
        final List<Stanza> routed = new ArrayList<>();

        RecordingRoute(DomainBareJid claimed) {
            this.claimed = claimed;
        }

        @Override
        public boolean claims(DomainBareJid domain) {
            return claimed == null || claimed.equals(domain);
        }

        @Override
        public void route(Stanza stanza, Handling handling) {
            routed.add(stanza);
        }
    }

    private final HostRegistry hosts = new HostRegistry(Set.of(Jids.parseDomain("montague.test"),
            Jids.parseDomain("capulet.test")));
    private final RouteTable sessions = new InMemoryRouteTable(hosts);
    private final RecordingRoute component = new RecordingRoute(Jids.parseDomain("gateway.elsewhere.example"));
    private final RecordingRoute federation = new RecordingRoute(null);
    private final List<RouteHandler> remote = new ArrayList<>(List.of(component, federation));
    private final DefaultStanzaRouter router;
    private final TurnTimeouts timeouts = new TurnTimeouts();
    private final ModuleContext montague;
    private final ModuleContext capulet;
    private final RecordingSession romeo;
    private final RecordingSession juliet;

    @AfterEach
    void stopTimeouts() {
        timeouts.close();
    }

    DefaultStanzaRouterTest() throws Exception {
        router = new DefaultStanzaRouter(hosts, sessions, remote, new AccountSequencer(), timeouts);
        DefaultModuleContext.Shared shared = new DefaultModuleContext.Shared(hosts, router, sessions, Runnable::run,
                null, new AccountSequencer(), new HttpServices(), new ServerMetrics(List.of()));
        ModuleEnvironment environment = new ModuleEnvironment(ParleyConfig.defaults(), Clock.systemUTC(), "test",
                new C2sFeatures(), null);
        montague = new DefaultModuleContext(shared, hosts.find(Jids.parseDomain("montague.test")).orElseThrow(),
                environment);
        capulet = new DefaultModuleContext(shared, hosts.find(Jids.parseDomain("capulet.test")).orElseThrow(),
                environment);
        new DeliveryModule().load(montague);
        new DeliveryModule().load(capulet);
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
        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test/balcony"));

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

        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test"));

        assertThat(other.received).hasSize(1);
        assertThat(juliet.received).isEmpty();
        assertThat(negative.received).isEmpty();
    }

    @Test
    void messageToOfflineFullJidFallsBackToBareJid_rfc6121_8_5_3_2_1() throws Exception {
        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test/gone"));

        assertThat(juliet.received).hasSize(1);
    }

    @Test
    void messageToUnavailableAccountBouncesServiceUnavailable_rfc6121_8_5_2_2_1() throws Exception {
        juliet.available = false;

        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test"));

        assertThat(juliet.received).isEmpty();
        assertThat(romeo.received).singleElement().satisfies(e -> {
            assertThat(e.attributeValue("type")).isEqualTo("error");
            assertThat(errorCondition(e)).isEqualTo("service-unavailable");
            assertThat(e.attributeValue("to")).isEqualTo(romeo.jid().toString());
        });
    }

    @Test
    void errorsAreNeverAnsweredWithErrors_rfc6120_8_3_1() throws Exception {
        juliet.available = false;

        router.route(stanza("message", "error", romeo.jid(), "juliet@capulet.test"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void iqToServerWithUnknownNamespaceIsServiceUnavailable_rfc6120_8_4() throws Exception {
        Stanza iq = stanza("iq", "get", romeo.jid(), "montague.test");
        iq.element().addElement(QName.get("query", "urn:example:unknown"));

        router.route(iq);

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void iqToBareJidWithUnknownNamespaceIsServiceUnavailable_rfc6121_8_5_2_1_3() throws Exception {
        Stanza iq = stanza("iq", "get", romeo.jid(), "juliet@capulet.test");
        iq.element().addElement(QName.get("query", "urn:example:unknown"));

        router.route(iq);

        assertThat(juliet.received).isEmpty();
        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void iqResultsAreNeverAnswered_rfc6120_8_2_3() throws Exception {
        router.route(stanza("iq", "result", romeo.jid(), "montague.test"));
        router.route(stanza("iq", "error", romeo.jid(), "juliet@capulet.test/gone"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void iqWithoutPayloadIsBadRequest_rfc6120_8_2_3() throws Exception {
        router.route(stanza("iq", "get", romeo.jid(), "montague.test"));

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("bad-request"));
    }

    @Test
    void registeredServerIqHandlerAnswers() throws Exception {
        montague.handleServerIq("urn:xmpp:ping", iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        Stanza ping = stanza("iq", "get", romeo.jid(), "montague.test");
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
        montague.handleAccountIq("jabber:iq:roster", iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        Stanza get = stanza("iq", "get", romeo.jid(), null);
        get.element().addElement(QName.get("query", "jabber:iq:roster"));

        router.route(get);

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(e.attributeValue("type")).isEqualTo("result"));
    }

    @Test
    void iqToOfflineFullJidIsServiceUnavailable_rfc6121_8_5_3_2_2() throws Exception {
        Stanza iq = stanza("iq", "get", romeo.jid(), "juliet@capulet.test/gone");
        iq.element().addElement(QName.get("ping", "urn:xmpp:ping"));

        router.route(iq);

        assertThat(romeo.received).singleElement().satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void stanzasForRemoteDomainsGoToTheFirstRouteHandlerThatClaimsThem_rfc6120_10_4() throws Exception {
        router.route(stanza("message", "chat", romeo.jid(), "someone@elsewhere.example"));
        router.route(stanza("message", "chat", romeo.jid(), "user@gateway.elsewhere.example"));

        assertThat(federation.routed).singleElement()
                .satisfies(s -> assertThat(s.to().toString()).isEqualTo("someone@elsewhere.example"));
        assertThat(component.routed).singleElement()
                .satisfies(s -> assertThat(s.to().toString()).isEqualTo("user@gateway.elsewhere.example"));
        assertThat(romeo.received).isEmpty();
    }

    @Test
    void aRemoteDomainNobodyClaimsIsRemoteServerNotFound_rfc6120_10_4_3() throws Exception {
        DefaultStanzaRouter withoutFederation = new DefaultStanzaRouter(hosts, sessions, List.of(), new AccountSequencer(),
                timeouts);

        withoutFederation.route(stanza("message", "chat", romeo.jid(), "someone@elsewhere.example"));

        assertThat(romeo.received).singleElement()
                .satisfies(e -> assertThat(errorCondition(e)).isEqualTo("remote-server-not-found"));
    }

    /**
     * The s2s router is built once storage is open (a cluster's dialback secret is in its
     * database): a stanza for a remote domain before then is bounced at once, never held or
     * dropped; once federation is open it goes there.
     */
    @Test
    void beforeFederationIsOpenARemoteDomainIsRemoteServerNotFound_rfc6120_10_4_3() throws Exception {
        FederationRoute federation = new FederationRoute();
        List<Stanza> sentOut = new ArrayList<>();
        DefaultStanzaRouter router = new DefaultStanzaRouter(hosts, sessions, List.of(federation),
                new AccountSequencer(), timeouts);

        router.route(stanza("message", "chat", romeo.jid(), "someone@elsewhere.example"));
        assertThat(romeo.received).singleElement()
                .satisfies(e -> assertThat(errorCondition(e)).isEqualTo("remote-server-not-found"));

        federation.open(new RemoteRouter() {
            @Override
            public void start(StanzaRouter local) {
            }

            @Override
            public void route(Stanza stanza) {
                sentOut.add(stanza);
            }

            @Override
            public void stop() {
            }
        });
        router.route(stanza("message", "chat", romeo.jid(), "someone@elsewhere.example"));
        assertThat(sentOut).singleElement()
                .satisfies(s -> assertThat(s.to().toString()).isEqualTo("someone@elsewhere.example"));
        assertThat(romeo.received).hasSize(1);
    }

    @Test
    void resultsAndErrorsForARemoteDomainNobodyClaimsAreNeverAnswered_rfc6120_8_2_3_and_8_3_1() throws Exception {
        DefaultStanzaRouter withoutFederation = new DefaultStanzaRouter(hosts, sessions, List.of(), new AccountSequencer(),
                timeouts);

        withoutFederation.route(stanza("iq", "result", romeo.jid(), "elsewhere.example"));
        withoutFederation.route(stanza("iq", "error", romeo.jid(), "someone@elsewhere.example/r"));
        withoutFederation.route(stanza("message", "error", romeo.jid(), "someone@elsewhere.example"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void mainEventsFireOnTheDestinationHostOnly() throws Exception {
        List<String> seen = new ArrayList<>();
        montague.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.OBSERVE, e -> {
            seen.add("montague");
            return Verdict.PASS;
        });
        capulet.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.OBSERVE, e -> {
            seen.add("capulet " + e.stanza().to());
            return Verdict.PASS;
        });

        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test/balcony"));

        assertThat(seen).containsExactly("capulet juliet@capulet.test/balcony");
        assertThat(juliet.received).hasSize(1);
    }

    @Test
    void aHandlerCanReplaceTheStanzaThatIsDelivered() throws Exception {
        capulet.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.STAMP, e -> {
            Element stamped = e.stanza().element().createCopy();
            stamped.addElement(QName.get("stanza-id", "urn:xmpp:sid:0")).addAttribute("id", "42");
            e.replace(new Stanza(stamped, e.stanza().from(), e.stanza().to()));
            return Verdict.PASS;
        });
        Stanza original = stanza("message", "chat", romeo.jid(), "juliet@capulet.test");

        router.route(original);

        assertThat(juliet.received).singleElement()
                .satisfies(e -> assertThat(e.element("stanza-id").attributeValue("id")).isEqualTo("42"));
        assertThat(original.element().element("stanza-id")).isNull();
    }

    @Test
    void aSuspendedEventGoesOnWhereItStoppedWhenResumed() throws Exception {
        List<Verdict.Continuation> held = new ArrayList<>();
        List<String> order = new ArrayList<>();
        capulet.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.FILTER, e -> {
            order.add("filter");
            return Verdict.suspend(held::add);
        });
        capulet.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.OBSERVE, e -> {
            order.add("observer");
            return Verdict.PASS;
        });

        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test"));
        assertThat(juliet.received).isEmpty();
        held.get(0).resume(Verdict.PASS);

        assertThat(order).containsExactly("filter", "observer");
        assertThat(juliet.received).hasSize(1);
    }

    @Test
    void iqRequestsFireByTypeShapeAndNamespace() throws Exception {
        List<String> seen = new ArrayList<>();
        montague.hook(StanzaEvents.iq("set", Shape.HOST, "urn:example:thing"), EventPriority.HANDLE, e -> {
            seen.add(e.stanza().id());
            return Verdict.HANDLED;
        });
        Stanza set = stanza("iq", "set", romeo.jid(), "montague.test");
        set.element().addElement(QName.get("thing", "urn:example:thing"));
        Stanza get = stanza("iq", "get", romeo.jid(), "montague.test");
        get.element().addElement(QName.get("thing", "urn:example:thing"));

        router.route(set);
        router.route(get);

        assertThat(seen).containsExactly("s1");
        assertThat(romeo.received).singleElement()
                .satisfies(e -> assertThat(errorCondition(e)).isEqualTo("service-unavailable"));
    }

    @Test
    void aComponentHostGetsTheStanzasForItsDomainOnItsOwnBus() throws Exception {
        ModuleContext rooms = montague.addComponentHost(Jids.parseDomain("rooms.montague.test"));
        List<String> seen = new ArrayList<>();
        rooms.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.HANDLE, e -> {
            seen.add(e.stanza().to().toString());
            return Verdict.HANDLED;
        });

        router.route(stanza("message", "groupchat", romeo.jid(), "verona@rooms.montague.test"));

        assertThat(seen).containsExactly("verona@rooms.montague.test");
        assertThat(federation.routed).isEmpty();
        assertThat(romeo.received).isEmpty();
    }

    @Test
    void headlineToUnavailableAccountIsDroppedQuietly_rfc6121_8_5_2_2_1() throws Exception {
        juliet.available = false;

        router.route(stanza("message", "headline", romeo.jid(), "juliet@capulet.test"));

        assertThat(romeo.received).isEmpty();
    }

    @Test
    void presenceToBareJidGoesToEveryAvailableResource_rfc6121_8_5_2_1_2() throws Exception {
        RecordingSession other = new RecordingSession("juliet@capulet.test/chamber");
        sessions.bind(other);

        router.route(stanza("presence", null, romeo.jid(), "juliet@capulet.test"));

        assertThat(juliet.received).hasSize(1);
        assertThat(other.received).hasSize(1);
    }

    @Test
    void offlineHandlerTakesMessagesNoResourceCanReceive() throws Exception {
        juliet.available = false;
        List<Stanza> stored = new ArrayList<>();
        capulet.hook(StanzaEvents.MESSAGE_OFFLINE, EventPriority.DELIVER, e -> {
            stored.add(e.stanza());
            return Verdict.HANDLED;
        });

        router.route(stanza("message", "chat", romeo.jid(), "juliet@capulet.test"));

        assertThat(stored).hasSize(1);
        assertThat(romeo.received).isEmpty();
    }

    @Test
    void preEventsOnTheSendersHostSeeClientStanzasFirst() throws Exception {
        montague.hook(StanzaEvents.pre("message", Shape.FULL), EventPriority.FILTER, e -> Verdict.HANDLED);

        router.routeFromClient(stanza("message", "chat", romeo.jid(), "juliet@capulet.test/balcony"), romeo, Handling.none());

        assertThat(juliet.received).isEmpty();
    }

    @Test
    void clientPresenceWithoutToSetsAvailabilityAndPriority_rfc6121_4_7_2_3() throws Exception {
        Stanza presence = stanza("presence", null, romeo.jid(), null);
        presence.element().addElement(QName.get("priority", Namespaces.CLIENT)).setText("7");
        romeo.available = false;

        router.routeFromClient(presence, romeo, Handling.none());

        assertThat(romeo.available).isTrue();
        assertThat(romeo.priority).isEqualTo(7);
        router.routeFromClient(stanza("presence", "unavailable", romeo.jid(), null), romeo, Handling.none());
        assertThat(romeo.available).isFalse();
    }

    /**
     * A stanza for a session that can no longer take it (its cluster node is gone), as XEP-0198
     * §5 says: "the server SHOULD treat unacknowledged stanzas in the same way that it would
     * treat a stanza sent to an unavailable resource". The handlers of the addressee ran when it
     * was first routed (archive, filters): only offline storage sees it again.
     */
    @Test
    void anUndeliverableMessageIsOfferedToOfflineStorageOnly_xep0198_5() throws Exception {
        List<Stanza> stored = new ArrayList<>();
        List<Stanza> routedAgain = new ArrayList<>();
        capulet.hook(StanzaEvents.MESSAGE_OFFLINE, EventPriority.DELIVER, e -> {
            stored.add(e.stanza());
            return Verdict.HANDLED;
        });
        capulet.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.STAMP, e -> {
            routedAgain.add(e.stanza());
            return Verdict.PASS;
        });

        router.undeliverable(stanza("message", "chat", romeo.jid(), "juliet@capulet.test/balcony"), Handling.none());

        assertThat(stored).extracting(s -> s.to().toString()).containsExactly("juliet@capulet.test/balcony");
        assertThat(routedAgain).isEmpty();
        assertThat(juliet.received).as("not delivered to a session").isEmpty();
        assertThat(romeo.received).isEmpty();
    }

    /** RFC 6121 §8.5.2.2.1 (no offline storage) and §8.5.3.2.1 (an IQ request): service-unavailable. */
    @Test
    void anUndeliverableMessageNobodyStoresAndAnIqRequestAreAnsweredServiceUnavailable() throws Exception {
        router.undeliverable(stanza("message", "chat", romeo.jid(), "juliet@capulet.test/balcony"), Handling.none());
        router.undeliverable(stanza("iq", "get", romeo.jid(), "juliet@capulet.test/balcony"), Handling.none());

        assertThat(romeo.received).extracting(DefaultStanzaRouterTest::errorCondition)
                .containsExactly("service-unavailable", "service-unavailable");
        assertThat(romeo.received).extracting(Element::getName).containsExactly("message", "iq");
    }

    /** RFC 6121 §8.5.3.2.2 and §8.5.2.1.1 (headline): dropped without an answer. */
    @Test
    void undeliverablePresenceHeadlinesAndIqResultsAreDropped() throws Exception {
        router.undeliverable(stanza("presence", null, romeo.jid(), "juliet@capulet.test/balcony"), Handling.none());
        router.undeliverable(stanza("message", "headline", romeo.jid(), "juliet@capulet.test/balcony"), Handling.none());
        router.undeliverable(stanza("iq", "result", romeo.jid(), "juliet@capulet.test/balcony"), Handling.none());
        router.route(stanza("message", "chat", juliet.jid(), "romeo@montague.test/orchard"));

        assertThat(romeo.received).as("only the message sent after them").hasSize(1);
        assertThat(romeo.received.get(0).attributeValue("type")).isEqualTo("chat");
        assertThat(juliet.received).isEmpty();
    }
}
