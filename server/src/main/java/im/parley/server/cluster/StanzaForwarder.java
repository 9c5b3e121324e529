package im.parley.server.cluster;

import com.hazelcast.topic.ITopic;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.server.routing.Undeliverable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel between nodes for stanzas routed to a session on another node, or handed to the
 * node that is the home of a room ({@link ClusterHomes}), and the rule that none is lost on the
 * way: each node listens to a Hazelcast topic of its own for each kind of stanza, and to another
 * for the confirmations of the stanzas it sent (of both kinds).
 *
 * <p>Order (RFC 6120 §10.1): Hazelcast hands the messages one member publishes on a topic to the
 * listener in the order published, on one thread, and every send of this node runs on one
 * thread ({@link ClusterNode#send}), so one sender's stanzas reach the other node in the order
 * they were routed.
 *
 * <p>Acknowledgement (XEP-0198 §4: the server acknowledges a stanza only once its effect is
 * durable): a forwarded stanza stays part of its {@link Handling} until the receiving node
 * confirms it (written to the session, or stored offline there) or, if the node leaves the
 * cluster or does not confirm within {@code cluster.forward_timeout}, until this node handled it
 * as for an unavailable resource itself ({@link Undeliverable}: a message is stored offline).
 * That is at-least-once: a node that wrote a stanza to its client and died before confirming,
 * or confirmed too late, leaves a second copy in offline storage (with the same XEP-0359
 * stanza-id where the archive stamped one). A stanza that reaches its node after the sender
 * stopped waiting is dropped there, so a slow node does not also deliver it.
 *
 * <p>A stanza handed to a room's home ({@link #handOn}) follows the same rules, except that
 * what happens when it is not confirmed is the caller's: the stage it gets completes with false.
 */
final class StanzaForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StanzaForwarder.class);
    static final String STANZAS = "parley.stanzas.";
    /** Stanzas for an entity whose home is the node (a room), to be routed there. */
    static final String HOMED = "parley.homed.";
    private static final String CONFIRMATIONS = "parley.confirmations.";
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

    /**
     * A stanza sent to another node and neither confirmed nor given up yet: {@code confirmed}
     * completes with true when the node confirms it, false when this node gives up on it.
     */
    private record Pending(String node, Jid to, long expiresAt, CompletableFuture<Boolean> confirmed) {
    }

    private final ClusterNode node;
    private final String localId;
    private final Duration timeout;
    private final Function<String, ForwardedStanza.Origin> origins;
    private final Map<String, ITopic<ForwardedStanza>> stanzaTopics = new ConcurrentHashMap<>();
    private final Map<String, ITopic<ForwardConfirmation>> confirmationTopics = new ConcurrentHashMap<>();
    /** By sequence number: given up in the order sent. */
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();
    /** Nodes that left: a stanza for one of their sessions is handled here at once. */
    private final Set<String> departed = ConcurrentHashMap.newKeySet();
    /** Confirmations not sent yet, by the node they go to. */
    private final Map<String, Queue<Long>> unsentConfirmations = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-cluster-forward-timeouts");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Undeliverable fallback = (stanza, handling) ->
            LOG.warn("a stanza forwarded before the cluster started was not confirmed: {}", stanza.element().asXML());

    /**
     * @param origins the binding of the session bound on this node under a stanza's {@code from}
     *     address, or null if none is: sent along, so that the receiving node knows the session
     *     even before the route map brought it there ({@link ForwardedStanza.Origin})
     */
    StanzaForwarder(ClusterNode node, Duration timeout, Function<String, ForwardedStanza.Origin> origins) {
        this.node = node;
        this.localId = node.localId();
        this.timeout = timeout.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : timeout;
        this.origins = origins;
    }

    /**
     * Takes part: hands the stanzas other nodes send to this one to {@code receiver}, one at a
     * time, in order (it confirms each with {@link #confirm}); takes the confirmations of the
     * stanzas this node sent; and hands those the other node did not confirm to {@code fallback}.
     */
    void start(Consumer<ForwardedStanza> receiver, Consumer<ForwardedStanza> homeReceiver,
               Undeliverable undeliverable) {
        this.fallback = undeliverable;
        stanzaTopic(STANZAS, localId).addMessageListener(message -> receiver.accept(message.getMessageObject()));
        stanzaTopic(HOMED, localId).addMessageListener(message -> homeReceiver.accept(message.getMessageObject()));
        confirmationTopic(localId).addMessageListener(message -> confirmed(message.getMessageObject().sequences()));
        long period = Math.min(1000, Math.max(100, timeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::giveUpExpired, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends the stanza to the session {@code to} on node {@code nodeId} (serialized here, once);
     * it stays part of {@code handling} until confirmed or handled here.
     */
    void forward(String nodeId, EntityFullJid to, Element stanza, Handling handling) {
        handling.track(send(STANZAS, nodeId, to, stanza).thenAccept(confirmed -> {
            if (!confirmed) {
                handleHere(to, stanza, handling);
            }
        }));
    }

    /**
     * Hands {@code stanza} to node {@code home}, the home of its addressee (a room), which routes
     * it as if it had arrived there. Completes with true once that node confirmed it (the work
     * its routing started there finished), with false if the node left or did not confirm in
     * time: the caller handles it then. One node's stanzas reach the home in the order handed on
     * (RFC 6120 §10.1).
     */
    CompletionStage<Boolean> handOn(String home, Stanza stanza) {
        return send(HOMED, home, stanza.to(), stanza.element());
    }

    /** Publishes the stanza on {@code kind}'s topic of node {@code nodeId}; completes as {@link #handOn} does. */
    private CompletableFuture<Boolean> send(String kind, String nodeId, Jid to, Element stanza) {
        long number = sequence.incrementAndGet();
        CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
        pending.put(number, new Pending(nodeId, to, System.nanoTime() + timeout.toNanos(), confirmed));
        if (departed.contains(nodeId)) {
            giveUp(number);
            return confirmed;
        }
        ForwardedStanza forwarded = new ForwardedStanza(localId, number, node.clusterTime() + timeout.toMillis(),
                String.valueOf(to), stanza.asXML(), origins.apply(stanza.attributeValue("from")));
        node.send(() -> stanzaTopic(kind, nodeId).publish(forwarded));
        return confirmed;
    }

    /** RFC 6121 §8.5.3.2 here, for a stanza whose session's node did not confirm it (a message is stored offline). */
    private void handleHere(EntityFullJid to, Element stanza, Handling handling) {
        try {
            Jid from = jidOrNull(stanza.attributeValue("from"));
            fallback.undeliverable(new Stanza(stanza, from, to), handling);
        } catch (RuntimeException e) {
            LOG.warn("cannot handle an unconfirmed stanza for {}: {}", to, stanza.asXML(), e);
        }
    }

    /** True if the sender of {@code forwarded} no longer waits for it (it handled it itself). */
    boolean isLate(ForwardedStanza forwarded) {
        return node.clusterTime() > forwarded.deadline();
    }

    /** Tells the sender of {@code forwarded} that it was handled; confirmations that pile up go together. */
    void confirm(ForwardedStanza forwarded) {
        String sender = forwarded.sender();
        unsentConfirmations.computeIfAbsent(sender, id -> new ConcurrentLinkedQueue<>()).add(forwarded.sequence());
        node.send(() -> sendConfirmations(sender));
    }

    private void sendConfirmations(String sender) {
        Queue<Long> queue = unsentConfirmations.get(sender);
        if (queue == null) {
            return;
        }
        List<Long> numbers = new ArrayList<>();
        for (Long number = queue.poll(); number != null; number = queue.poll()) {
            numbers.add(number);
        }
        if (!numbers.isEmpty() && !departed.contains(sender)) {
            long[] sequences = numbers.stream().mapToLong(Long::longValue).toArray();
            confirmationTopic(sender).publish(new ForwardConfirmation(sequences));
        }
    }

    private void confirmed(long[] numbers) {
        for (long number : numbers) {
            Pending sent = pending.remove(number);
            if (sent != null) {
                sent.confirmed().complete(true);
            }
        }
    }

    /**
     * A node left the cluster: what was sent to it and not confirmed is handled here, in the order
     * it was sent, and so is anything sent to it from now on.
     */
    void nodeLeft(String nodeId) {
        departed.add(nodeId);
        stanzaTopics.remove(STANZAS + nodeId);
        stanzaTopics.remove(HOMED + nodeId);
        confirmationTopics.remove(nodeId);
        unsentConfirmations.remove(nodeId);
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            if (entry.getValue().node().equals(nodeId)) {
                giveUp(entry.getKey());
            }
        }
    }

    /** A node (re)joined: stanzas for it are sent again, should it be one that was taken for gone. */
    void nodeJoined(String nodeId) {
        departed.remove(nodeId);
    }

    /** How many stanzas this node handled itself (or left to their caller) because their node did not confirm them. */
    long givenUp() {
        return givenUp.get();
    }

    /**
     * Waits up to {@code patience} for the confirmations still expected (a node that stops), then
     * handles here the stanzas still unconfirmed. Blocks.
     */
    void settle(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            CompletableFuture<?>[] waiting = pending.values().stream().map(Pending::confirmed)
                    .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(waiting).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pending.keySet().forEach(this::giveUp);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    private void giveUpExpired() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            if (now - entry.getValue().expiresAt() >= 0) {
                giveUp(entry.getKey());
            }
        }
    }

    /**
     * Handles the stanza numbered {@code number} here (its {@code confirmed} completes with false,
     * which runs what its sender does then, on this thread, before the next is given up), unless
     * it was confirmed or given up meanwhile.
     */
    private void giveUp(long number) {
        Pending sent = pending.remove(number);
        if (sent == null) {
            return;
        }
        givenUp.incrementAndGet();
        LOG.debug("stanza {} for {} not confirmed by node {}: handling it here", number, sent.to(), sent.node());
        sent.confirmed().complete(false);
    }

    private ITopic<ForwardedStanza> stanzaTopic(String kind, String nodeId) {
        return stanzaTopics.computeIfAbsent(kind + nodeId, node::topic);
    }

    private ITopic<ForwardConfirmation> confirmationTopic(String nodeId) {
        return confirmationTopics.computeIfAbsent(nodeId, id -> node.topic(CONFIRMATIONS + id));
    }

    /** The full JID {@code jid} is, or null if it is none (a bare JID, a domain, or invalid). */
    static EntityFullJid fullJidOrNull(String jid) {
        Jid parsed = jidOrNull(jid);
        return parsed == null ? null : parsed.asEntityFullJidIfPossible();
    }

    static Jid jidOrNull(String jid) {
        try {
            return jid == null ? null : Jids.parse(jid);
        } catch (JidMalformedException e) {
            return null;
        }
    }
}
