package im.parley.server.cluster;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.server.config.ClusterOptions;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import im.parley.server.routing.Undeliverable;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.StoredXml;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a Parley cluster (docs/operations.md, Clustering), as the assembly
 * wires it: the Hazelcast member ({@link ClusterNode}), the shared route table
 * ({@link ClusteredRouteTable}), the stanzas other nodes forward to this one's sessions, the
 * sharing of each session's own presence, roster interest, directed presence recipients, carbons
 * and block-list interest (what the other nodes need to push rosters and block lists to it, copy
 * messages to it and, should this node die, to end its presence), and
 * what happens when a node leaves
 * ({@link NodeFailures}).
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusteredRouteTable routes;
    private final HostRegistry hosts;
    private volatile boolean stopping;

    private Cluster(ClusteredRouteTable routes, HostRegistry hosts) {
        this.routes = routes;
        this.hosts = hosts;
    }

    /** Joins the cluster the configuration names (blocks until joined, or alone). */
    public static Cluster join(ParleyConfig config, HostRegistry hosts) {
        ClusterNode node = ClusterNode.start(config);
        try {
            return new Cluster(new ClusteredRouteTable(new InMemoryRouteTable(hosts), node,
                    config.option(ClusterOptions.FORWARD_TIMEOUT)), hosts);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** The route table the router and the modules use. */
    public ClusteredRouteTable routes() {
        return routes;
    }

    /**
     * Starts taking part, once the router and the modules are there: shares the presence, roster
     * interest, directed presence, carbons and block-list interest of this node's sessions, takes
     * the stanzas other nodes send, handles nodes that leave.
     *
     * @param router routes the stanzas other nodes hand this one as the home of their addressee
     * @param undeliverable what becomes of a stanza for a session that is gone (the router's rule
     *     for an unavailable resource)
     */
    public void start(StanzaRouter router, Undeliverable undeliverable, MeterRegistry meters) {
        for (Host host : hosts.accountHosts()) {
            // Before the presence module (HANDLE), passing on: it only watches the client's own presence.
            host.events().hook(StanzaEvents.pre("presence", Shape.BARE), EventPriority.OBSERVE, event -> {
                sharePresence(event.stanza(), event.origin());
                return Verdict.PASS;
            });
            host.events().hook(SessionEvents.ROSTER_REQUESTED, EventPriority.OBSERVE, session -> {
                routes.sharing().shareRosterRequested(session);
                return Verdict.PASS;
            });
            host.events().hook(SessionEvents.DIRECTED_PRESENCE, EventPriority.OBSERVE, directed -> {
                routes.sharing().shareDirectedPresence(directed.session(), directed.recipients());
                return Verdict.PASS;
            });
            host.events().hook(SessionEvents.CARBONS, EventPriority.OBSERVE, choice -> {
                routes.sharing().shareCarbons(choice.session(), choice.enabled());
                return Verdict.PASS;
            });
            host.events().hook(SessionEvents.BLOCK_LIST_REQUESTED, EventPriority.OBSERVE, session -> {
                routes.sharing().shareBlockListRequested(session);
                return Verdict.PASS;
            });
        }
        routes.forwarder().start(forwarded -> receive(forwarded, undeliverable),
                forwarded -> receiveAsHome(forwarded, router), undeliverable);
        routes.homes().start(router);
        routes.node().onMembership(new NodeFailures(routes, hosts));
        routes.node().onLifecycle(new MergeAfterSplit(routes));
        Gauge.builder("parley.cluster.members", routes.node(), ClusterNode::members)
                .description("Nodes in the cluster, this one included").register(meters);
        for (boolean available : new boolean[] {true, false}) {
            Gauge.builder("parley.cluster.remote_sessions", routes,
                    table -> table.remoteSessions().stream().filter(s -> s.isAvailable() == available).count())
                    .tag("available", Boolean.toString(available))
                    .description("Client sessions bound on the other nodes, as this node knows them")
                    .register(meters);
        }
        Gauge.builder("parley.cluster.remote_roster_interest", routes,
                table -> table.remoteSessions().stream().filter(LocalSession::sharedRosterInterest).count())
                .description("Client sessions on the other nodes that requested the roster: roster changes made "
                        + "here are pushed to them (RFC 6121 §2.1.6)").register(meters);
        Gauge.builder("parley.cluster.remote_directed_presence", routes,
                table -> table.remoteSessions().stream().mapToInt(s -> s.sharedDirectedPresence().size()).sum())
                .description("Entities the sessions on the other nodes sent directed presence to: they get "
                        + "unavailable presence from here should that node die (RFC 6121 §4.6.3)").register(meters);
        Gauge.builder("parley.cluster.remote_carbons", routes,
                table -> table.remoteSessions().stream().filter(LocalSession::sharedCarbons).count())
                .description("Client sessions on the other nodes with Message Carbons enabled: messages routed "
                        + "here are copied to them (XEP-0280 §6, §7)").register(meters);
        Gauge.builder("parley.cluster.remote_block_list_interest", routes,
                table -> table.remoteSessions().stream().filter(LocalSession::sharedBlockListInterest).count())
                .description("Client sessions on the other nodes that retrieved their block list: blocks and "
                        + "unblocks made here are pushed to them (XEP-0191 §3.3, §3.4)").register(meters);
        FunctionCounter.builder("parley.cluster.forwards_unconfirmed", routes.forwarder(), StanzaForwarder::givenUp)
                .description("Stanzas for sessions on other nodes handled here (stored offline), and stanzas handed "
                        + "to the home of a room handled here again, because their node left or did not confirm them "
                        + "in time").register(meters);
        LOG.info("cluster node {} with {} nodes", routes.node().localId(), routes.node().members());
    }

    /** RFC 6121 §4.2, §4.4, §4.5: the client's broadcast presence, which the other nodes need to route to it. */
    private void sharePresence(Stanza presence, LocalSession origin) {
        if (origin == null || presence.to() != null) {
            return;
        }
        String type = presence.type();
        if (type == null || "unavailable".equals(type)) {
            routes.sharing().share(origin, type == null ? presence.element().asXML() : null);
        }
    }

    /**
     * A stanza another node routed to a session here: written to it, or, if the session is gone,
     * handled as for an unavailable resource (RFC 6121 §8.5.3.2: a chat message is stored
     * offline, where the account's other resources get it); confirmed to its sender once that is
     * done. Not confirmed, and not delivered, when it comes too late (its sender handled it itself)
     * or once this node is stopping (its sender handles it when this node has left).
     */
    private void receive(ForwardedStanza forwarded, Undeliverable undeliverable) {
        Optional<Stanza> taken = take(forwarded);
        if (taken.isEmpty()) {
            return;
        }
        Stanza routed = taken.get();
        routes.learnOrigin(forwarded, routed.from());
        EntityFullJid to = routed.to() == null ? null : routed.to().asEntityFullJidIfPossible();
        Optional<LocalSession> session = to == null ? Optional.empty() : routes.findHere(to);
        if (session.isEmpty()) {
            confirmOnceHandled(forwarded, handling -> undeliverable.undeliverable(routed, handling));
            return;
        }
        session.get().deliver(routed.element());
        session.get().written().thenAccept(written -> {
            if (written) {
                routes.forwarder().confirm(forwarded);
            } else {
                // The stream closed before the stanza reached it: the session is ending.
                confirmOnceHandled(forwarded, handling -> undeliverable.undeliverable(routed, handling));
            }
        });
    }

    /**
     * A stanza another node handed this one as the home of its addressee (a room, XEP-0045):
     * routed here as if it had arrived here, and confirmed to its sender once the work its routing
     * started is done (the room's turn handled it: broadcast and archived, or answered with an
     * error), so that its sender counts it as handled only then (XEP-0198 §4). Not confirmed, and
     * not routed, under the same rules as a stanza for a session ({@link #take}).
     */
    private void receiveAsHome(ForwardedStanza forwarded, StanzaRouter router) {
        take(forwarded).ifPresent(stanza -> {
            routes.learnOrigin(forwarded, stanza.from());
            confirmOnceHandled(forwarded, handling -> router.route(stanza, handling));
        });
    }

    /**
     * The stanza another node sent, unless it comes too late (its sender handled it itself) or
     * this node is stopping (its sender handles it when this node has left), or it cannot be read
     * (left to its sender, which handles it when it stops waiting).
     */
    private Optional<Stanza> take(ForwardedStanza forwarded) {
        if (stopping) {
            LOG.debug("stopping: leaving a stanza for {} to its sender", forwarded.to());
            return Optional.empty();
        }
        if (routes.forwarder().isLate(forwarded)) {
            LOG.info("a stanza for {} came after its sender stopped waiting: dropped here, handled there",
                    forwarded.to());
            return Optional.empty();
        }
        try {
            Element stanza = StoredXml.read(forwarded.xml());
            return Optional.of(new Stanza(stanza, StanzaForwarder.jidOrNull(stanza.attributeValue("from")),
                    Jids.parse(forwarded.to())));
        } catch (DocumentException | JidMalformedException e) {
            LOG.warn("an unreadable stanza from another node, left to its sender: {}", forwarded, e);
            return Optional.empty();
        }
    }

    /** Runs {@code work} in a handling of its own and confirms the stanza once that is complete (a message stored). */
    private void confirmOnceHandled(ForwardedStanza forwarded, Consumer<Handling> work) {
        Handling handling = Handling.begin();
        try {
            work.accept(handling);
        } finally {
            handling.end();
        }
        handling.completion().thenRun(() -> routes.forwarder().confirm(forwarded));
    }

    /**
     * This node is stopping and its sessions have ended: it takes no more stanzas from the other
     * nodes (their senders handle them once this node has left), waits up to {@code patience} for
     * the confirmation of what it sent to them, and handles here what stays unconfirmed (a
     * message is stored offline). Call before storage stops. Blocks.
     */
    public void settle(Duration patience) {
        stopping = true;
        routes.forwarder().settle(patience);
    }

    /** Leaves the cluster, after the writes still queued (the last sessions' route removals). */
    @Override
    public void close() {
        routes.homes().close();
        routes.forwarder().close();
        routes.node().close();
        routes.writes().close();
    }
}
