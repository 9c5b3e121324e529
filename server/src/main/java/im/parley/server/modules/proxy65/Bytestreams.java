package im.parley.server.modules.proxy65;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The proxy's bytestreams, by their DST.ADDR hash (XEP-0065 §5.3.2: SHA1 of SID, Requester JID
 * and Target JID): the Target's and the Requester's connections wait here until the Requester
 * activates the stream (§6.3.5), then relay to each other. At most two parties per hash
 * (Implementation Notes: "allow only one Target to connect to a bytestream"), at most
 * {@code maxPending} streams waiting and {@code maxTransfers} relaying. Thread-safe: connections
 * arrive on event loops, activations on the router's threads.
 */
final class Bytestreams {

    /** One SOCKS5 connection that asked for a hash. */
    interface Party {
        /** Starts relaying to {@code peer} (until now no byte has flowed); completes once it does. */
        CompletionStage<Void> relayTo(Party peer);

        void close();
    }

    enum Activation { ACTIVATED, NO_SUCH_STREAM, ONE_PARTY_ONLY, ALREADY_ACTIVE, TOO_MANY_TRANSFERS }

    /**
     * What an activation request got, and for an activated stream when both sides relay: the
     * Requester hears of the activation only then, so its first bytes cannot come too early.
     */
    record Outcome(Activation activation, CompletionStage<Void> relaying) {
    }

    private static final class Pair {
        Party first;
        Party second;
        boolean active;
    }

    private final int maxPending;
    private final int maxTransfers;
    private final Map<String, Pair> pairs = new HashMap<>();
    private int pending;
    private int transfers;

    Bytestreams(int maxPending, int maxTransfers) {
        this.maxPending = maxPending;
        this.maxTransfers = maxTransfers;
    }

    /** A connection asks for {@code hash}; false if refused: a third party, or too many streams waiting. */
    synchronized boolean connected(String hash, Party party) {
        Pair pair = pairs.get(hash);
        if (pair == null) {
            if (pending >= maxPending) {
                return false;
            }
            pair = new Pair();
            pair.first = party;
            pairs.put(hash, pair);
            pending++;
            return true;
        }
        if (pair.second != null || pair.first == null || pair.active) {
            return false;
        }
        pair.second = party;
        return true;
    }

    /** A connection closed: it leaves its stream, and a stream nobody is in is forgotten. */
    synchronized void disconnected(String hash, Party party) {
        Pair pair = pairs.get(hash);
        if (pair == null) {
            return;
        }
        if (pair.active) {
            pairs.remove(hash);
            transfers--;
            return;
        }
        if (pair.first == party) {
            pair.first = pair.second;
            pair.second = null;
        } else if (pair.second == party) {
            pair.second = null;
        }
        if (pair.first == null) {
            pairs.remove(hash);
            pending--;
        }
    }

    /** XEP-0065 §6.3.5: the Requester activates the stream; both parties must be connected. */
    Outcome activate(String hash) {
        Pair pair;
        synchronized (this) {
            pair = pairs.get(hash);
            Activation refusal = pair == null ? Activation.NO_SUCH_STREAM
                    : pair.active ? Activation.ALREADY_ACTIVE
                    : pair.second == null ? Activation.ONE_PARTY_ONLY
                    : transfers >= maxTransfers ? Activation.TOO_MANY_TRANSFERS : null;
            if (refusal != null) {
                return new Outcome(refusal, CompletableFuture.completedFuture(null));
            }
            pair.active = true;
            pending--;
            transfers++;
        }
        CompletableFuture<Void> first = pair.first.relayTo(pair.second).toCompletableFuture();
        CompletableFuture<Void> second = pair.second.relayTo(pair.first).toCompletableFuture();
        return new Outcome(Activation.ACTIVATED, CompletableFuture.allOf(first, second));
    }

    synchronized int transfers() {
        return transfers;
    }

    synchronized int pending() {
        return pending;
    }
}
