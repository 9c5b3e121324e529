package im.parley.server.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import im.parley.server.event.SessionEvents;
import im.parley.server.host.HostRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a node leaves the cluster, stopped or dead: every node handles itself what it
 * had sent to the node and not seen confirmed ({@link StanzaForwarder#nodeLeft}), and forgets its
 * sessions at once; the oldest remaining member, and only it, removes their shared routes and ends
 * them for the modules ({@code session/closed} on their hosts), as if their connections had
 * dropped: the presence module sends their unavailable presence to their contacts (RFC 6121
 * §4.5.2), the last activity module records the time. A node stopped in good order has ended its sessions itself
 * before leaving: nothing is left to do then.
 */
final class NodeFailures implements MembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(NodeFailures.class);

    private final ClusteredRouteTable routes;
    private final HostRegistry hosts;

    NodeFailures(ClusteredRouteTable routes, HostRegistry hosts) {
        this.routes = routes;
        this.hosts = hosts;
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        routes.forwarder().nodeJoined(ClusterNode.idOf(event.getMember()));
        LOG.info("node {} joined the cluster ({} nodes)", event.getMember(), event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        String node = ClusterNode.idOf(event.getMember());
        // First: what was on its way to the node is handled here, in the order sent, before a
        // stanza routed from now on finds its sessions gone (RFC 6120 §10.1).
        routes.forwarder().nodeLeft(node);
        List<RemoteSession> ended = routes.remote().removeNode(node);
        boolean oldest = routes.node().isOldest();
        LOG.warn("node {} left the cluster ({} nodes left) with {} sessions{}", event.getMember(),
                event.getMembers().size(), ended.size(), oldest ? ": ending them" : "");
        if (!oldest) {
            return;
        }
        routes.removeEntriesOf(node);
        for (RemoteSession session : ended) {
            hosts.fire(session.jid(), SessionEvents.CLOSED, session);
        }
    }
}
