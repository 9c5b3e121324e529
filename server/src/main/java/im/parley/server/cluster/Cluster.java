package im.parley.server.cluster;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.LocalSession;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a Parley cluster (docs/operations.md, Clustering), as the assembly
 * wires it: the Hazelcast member ({@link ClusterNode}), the shared route table
 * ({@link ClusteredRouteTable}), the stanzas other nodes forward to this one's sessions, the
 * sharing of each session's own presence, and what happens when a node leaves
 * ({@link NodeFailures}).
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusteredRouteTable routes;
    private final HostRegistry hosts;

    private Cluster(ClusteredRouteTable routes, HostRegistry hosts) {
        this.routes = routes;
        this.hosts = hosts;
    }

    /** Joins the cluster the configuration names (blocks until joined, or alone). */
    public static Cluster join(ParleyConfig config, HostRegistry hosts) {
        ClusterNode node = ClusterNode.start(config);
        try {
            return new Cluster(new ClusteredRouteTable(new InMemoryRouteTable(hosts), node), hosts);
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
     * Starts taking part, once the router and the modules are there: shares the presence of this
     * node's sessions, takes the stanzas other nodes send, handles nodes that leave.
     */
    public void start(StanzaRouter router, MeterRegistry meters) {
        for (Host host : hosts.accountHosts()) {
            // Before the presence module (HANDLE), passing on: it only watches the client's own presence.
            host.events().hook(StanzaEvents.pre("presence", Shape.BARE), EventPriority.OBSERVE, event -> {
                sharePresence(event.stanza(), event.origin());
                return Verdict.PASS;
            });
        }
        routes.forwarder().receive(forwarded -> receive(forwarded, router));
        routes.node().onMembership(new NodeFailures(routes, hosts));
        Gauge.builder("parley.cluster.members", routes.node(), ClusterNode::members)
                .description("Nodes in the cluster, this one included").register(meters);
        for (boolean available : new boolean[] {true, false}) {
            Gauge.builder("parley.cluster.remote_sessions", routes,
                    table -> table.remoteSessions().stream().filter(s -> s.isAvailable() == available).count())
                    .tag("available", Boolean.toString(available))
                    .description("Client sessions bound on the other nodes, as this node knows them")
                    .register(meters);
        }
        LOG.info("cluster node {} with {} nodes", routes.node().localId(), routes.node().members());
    }

    /** RFC 6121 §4.2, §4.4, §4.5: the client's broadcast presence, which the other nodes need to route to it. */
    private void sharePresence(Stanza presence, LocalSession origin) {
        if (origin == null || presence.to() != null) {
            return;
        }
        String type = presence.type();
        if (type == null || "unavailable".equals(type)) {
            routes.share(origin, type == null ? presence.element().asXML() : null);
        }
    }

    /**
     * A stanza another node routed to a session here: delivered to it; if the session is gone,
     * routed again on this node, where the rules for an unavailable resource apply (RFC 6121
     * §8.5.3.2: a chat message goes to the account's other resources or offline storage).
     */
    private void receive(ForwardedStanza forwarded, StanzaRouter router) {
        Element stanza;
        EntityFullJid to;
        try {
            stanza = DocumentHelper.parseText(forwarded.xml()).getRootElement().createCopy();
            to = Jids.parse(forwarded.to()).asEntityFullJidIfPossible();
        } catch (DocumentException | JidMalformedException e) {
            LOG.warn("dropping an unreadable stanza from another node: {}", forwarded, e);
            return;
        }
        Optional<LocalSession> session = to == null ? Optional.empty() : routes.findHere(to);
        if (session.isPresent()) {
            session.get().deliver(stanza);
            return;
        }
        router.route(new Stanza(stanza, jidOrNull(stanza.attributeValue("from")), to));
    }

    private static Jid jidOrNull(String jid) {
        try {
            return jid == null ? null : Jids.parse(jid);
        } catch (JidMalformedException e) {
            return null;
        }
    }

    /** Leaves the cluster, after the writes still queued (the last sessions' route removals). */
    @Override
    public void close() {
        routes.node().close();
    }
}
