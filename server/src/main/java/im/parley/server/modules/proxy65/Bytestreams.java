package im.parley.server.modules.proxy65;

import java.util.HashMap;
import java.util.Map;

/**
 * The proxy's bytestreams, by their DST.ADDR hash (XEP-0065 §5.3.2: SHA1 of SID, Requester JID
 * and Target JID): the Target's and the Requester's connections wait here until the Requester
 * activates the stream (§6.3.5), then relay to each other. At most two parties per hash ("allow
 * only one Target to connect", §Implementation Notes), at most {@code maxPending} streams waiting
 * and {@code maxTransfers} relaying. Thread-safe: connections arrive on event loops, activations
 * on the router's threads.
 */
final class Bytestreams {

    /** One SOCKS5 connection that asked for a hash. */
    interface Party {
        /** Starts relaying to {@code peer}: until now no byte has flowed. */
        void relayTo(Party peer);

        void close();
    }

    enum Activation { ACTIVATED, NO_SUCH_STREAM, ONE_PARTY_ONLY, ALREADY_ACTIVE, TOO_MANY_TRANSFERS }

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
    Activation activate(String hash) {
        Pair pair;
        synchronized (this) {
            pair = pairs.get(hash);
            if (pair == null) {
                return Activation.NO_SUCH_STREAM;
            }
            if (pair.active) {
                return Activation.ALREADY_ACTIVE;
            }
            if (pair.second == null) {
                return Activation.ONE_PARTY_ONLY;
            }
            if (transfers >= maxTransfers) {
                return Activation.TOO_MANY_TRANSFERS;
            }
            pair.active = true;
            pending--;
            transfers++;
        }
        pair.first.relayTo(pair.second);
        pair.second.relayTo(pair.first);
        return Activation.ACTIVATED;
    }

    synchronized int transfers() {
        return transfers;
    }

    synchronized int pending() {
        return pending;
    }
}
