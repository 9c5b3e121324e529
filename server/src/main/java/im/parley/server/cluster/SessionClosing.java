package im.parley.server.cluster;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.session.LocalSession;
import java.io.Serializable;
import java.util.Optional;
import java.util.function.Function;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a session bound on another node of the cluster, on whichever node the reason arrives: an
 * administrator ends it (XEP-0133 §4.14, {@code parley kick}), its account is deleted (XEP-0077
 * §3.2, XEP-0133 §4.2) or disabled (§4.3), its password changed. The request goes to the
 * session's node on a topic of that node, and that node sends the stream error and closes the
 * stream as for a session of its own (RFC 6120 §4.9). A session bound again under the same full
 * JID since (another binding) is left alone.
 */
final class SessionClosing {

    private static final Logger LOG = LoggerFactory.getLogger(SessionClosing.class);
    static final String TOPIC = "parley.close.";

    /** What the session's node needs to close it: the binding it must still be, and the error. */
    record CloseRequest(String jid, String binding, StreamErrorCondition condition, String text)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final ClusterNode node;
    private final Function<EntityFullJid, Optional<LocalSession>> here;

    /** @param here finds a session bound on this node, never one of another node */
    SessionClosing(ClusterNode node, Function<EntityFullJid, Optional<LocalSession>> here) {
        this.node = node;
        this.here = here;
    }

    /** Takes the requests other nodes send to close sessions of this one. */
    void start() {
        node.<CloseRequest>topic(TOPIC + node.localId()).addMessageListener(message -> closeHere(message.getMessageObject()));
    }

    /** Asks node {@code nodeId} to close its session {@code jid} with binding {@code binding}. */
    void close(String nodeId, EntityFullJid jid, String binding, StreamError error) {
        CloseRequest request = new CloseRequest(jid.toString(), binding, error.condition(), error.text());
        node.send(() -> node.<CloseRequest>topic(TOPIC + nodeId).publish(request));
    }

    private void closeHere(CloseRequest request) {
        EntityFullJid jid = ClusteredRouteTable.fullJid(request.jid());
        if (jid == null) {
            return;
        }
        Optional<LocalSession> session = here.apply(jid).filter(bound -> bound.id().equals(request.binding()));
        if (session.isPresent()) {
            LOG.info("closing {} ({}) as another node of the cluster asked", jid, request.condition().elementName());
            session.get().close(StreamError.of(request.condition(), request.text()));
        }
    }
}
