package im.parley.server.modules.presence;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence state of one session: its last broadcast available presence (answered to
 * probes, RFC 6121 §4.3.2), the entities it sent directed presence to (§4.6.2, they get its
 * unavailable presence), and a queue that keeps its presence work in the order the client sent
 * it even though each step waits for storage.
 */
final class ResourcePresence {

    private static final Logger LOG = LoggerFactory.getLogger(ResourcePresence.class);

    private Element lastAvailable;
    private final Set<Jid> directedTo = new LinkedHashSet<>();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** The last available presence the resource broadcast, or null while it is unavailable. */
    synchronized Element lastAvailable() {
        return lastAvailable;
    }

    /** Records broadcast presence; returns true if it made the resource available (initial presence, §4.2). */
    synchronized boolean available(Element presence) {
        boolean initial = lastAvailable == null;
        lastAvailable = presence;
        return initial;
    }

    /**
     * Records that the resource became unavailable; returns the entities that had directed
     * presence from it (§4.6.3), or null if it was not available.
     */
    synchronized Set<Jid> unavailable() {
        if (lastAvailable == null) {
            return null;
        }
        lastAvailable = null;
        Set<Jid> directed = Set.copyOf(directedTo);
        directedTo.clear();
        return directed;
    }

    /** §4.6.2: directed available presence is remembered only while the resource is available. */
    synchronized void directedAvailable(Jid to) {
        if (lastAvailable != null) {
            directedTo.add(to);
        }
    }

    /** §4.6.3: after directed unavailable presence, the entity needs no more. */
    synchronized void directedUnavailable(Jid to) {
        directedTo.remove(to);
    }

    /** Runs {@code step} after every earlier step of this session has finished. */
    synchronized void then(Supplier<? extends CompletionStage<?>> step) {
        tail = tail.thenCompose(ignored -> step.get().thenApply(result -> (Object) result)).handle((result, failure) -> {
            if (failure != null) {
                LOG.warn("presence processing failed", failure);
            }
            return null;
        });
    }
}
