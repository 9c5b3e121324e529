package im.parley.server.cluster;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.session.LocalSession;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does when it merges back into the cluster it was split from: Hazelcast's
 * split-brain healing, after a pause longer than {@code cluster.failure_timeout} (a long garbage
 * collection, a stalled VM) or a network partition made the others take it for dead. Meanwhile
 * the rest of the cluster ended this node's sessions ({@link NodeFailures}: their contacts got
 * unavailable presence, the entities they sent directed presence to too, what was on its way to
 * them was stored offline) and may have claimed its rooms again; Hazelcast's default merge
 * policy (put if absent) brings back the routes and room homes this node had shared that the
 * cluster had removed, so they would be ghosts: sessions the cluster takes for available that
 * nobody told their contacts about, rooms that live twice.
 *
 * <p>So this node closes every session it holds with the stream error {@code system-shutdown}
 * (RFC 6120 §4.9.3.20: "the server is being shut down and all active streams are being closed",
 * as for the cluster it was; clients reconnect, as they do when a node stops in a rolling
 * restart), rather than sharing them again: their presence, directed presence and rooms were
 * ended for every other node, and a client that reconnects gets all of it back through the
 * protocol (initial presence, probes, offline messages, entering rooms again). Closing them
 * removes their routes (only while still of that binding), and whatever the stream management
 * queues still held goes to offline storage (XEP-0198 §5), as when any session ends. Then it
 * removes the routes naming it that no session holds, learns the members and the other nodes'
 * routes again (the merge undid what it knew of them), and forgets the homes it knew, so that
 * the next stanza for a room asks the cluster's map, where the claim of the cluster it merged
 * into won: a room claimed elsewhere meanwhile is served there and no more here.
 */
final class MergeAfterSplit implements LifecycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(MergeAfterSplit.class);

    private final ClusteredRouteTable routes;

    MergeAfterSplit(ClusteredRouteTable routes) {
        this.routes = routes;
    }

    @Override
    public void stateChanged(LifecycleEvent event) {
        switch (event.getState()) {
            case MERGING -> LOG.warn("this node was split from the cluster, which took it for gone: merging back");
            case MERGED -> merged();
            case MERGE_FAILED -> LOG.error("this node could not merge back into the cluster it was split from");
            default -> { }
        }
    }

    private void merged() {
        List<LocalSession> sessions = routes.all();
        LOG.warn("merged back into the cluster ({} nodes): closing the {} sessions it had ended meanwhile",
                routes.node().members(), sessions.size());
        StreamError error = StreamError.of(StreamErrorCondition.SYSTEM_SHUTDOWN,
                "this node was cut off from the cluster, which ended this session: reconnect");
        for (LocalSession session : sessions) {
            session.close(error);
        }
        for (String member : routes.node().relearnMembers()) {
            routes.forwarder().nodeJoined(member);
        }
        routes.relearnAfterMerge();
        routes.askOthersToShareAgain();
        routes.homes().forgetKnown();
    }
}
