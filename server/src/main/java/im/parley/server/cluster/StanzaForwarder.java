package im.parley.server.cluster;

import com.hazelcast.topic.ITopic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;

/**
 * The channel between nodes for stanzas routed to a session on another node: one Hazelcast topic
 * per node, which only that node listens to. A topic (not an executor or a map) because Hazelcast
 * hands the messages one member publishes on a topic to its listener in the order published, on
 * one thread, and publishing does not wait for the receiver (fire and forget): with every send
 * of this node on one thread ({@link ClusterNode#send}), the stanzas of one sender reach the
 * other node in the order they were routed (RFC 6120 §10.1). A stanza sent to a node that dies
 * before it is delivered is lost (docs/operations.md, Clustering: not done yet).
 */
final class StanzaForwarder {

    private static final String TOPIC_PREFIX = "parley.stanzas.";

    private final ClusterNode node;
    private final Map<String, ITopic<ForwardedStanza>> topics = new ConcurrentHashMap<>();

    StanzaForwarder(ClusterNode node) {
        this.node = node;
    }

    /** Sends the stanza to the session {@code to} on node {@code nodeId}; serialized here, once. */
    void forward(String nodeId, EntityFullJid to, Element stanza) {
        ForwardedStanza forwarded = new ForwardedStanza(to.toString(), stanza.asXML());
        node.send(() -> topic(nodeId).publish(forwarded));
    }

    /** Hands the stanzas other nodes send to this one to {@code receiver}, one at a time, in order. */
    void receive(Consumer<ForwardedStanza> receiver) {
        topic(node.localId()).addMessageListener(message -> receiver.accept(message.getMessageObject()));
    }

    /** Forgets the topic of a node that left. */
    void forget(String nodeId) {
        topics.remove(nodeId);
    }

    private ITopic<ForwardedStanza> topic(String nodeId) {
        return topics.computeIfAbsent(nodeId, id -> node.topic(TOPIC_PREFIX + id));
    }
}
