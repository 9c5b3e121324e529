package im.parley.server.cluster;

import java.util.List;
import java.util.function.Predicate;

/**
 * What this node shares of one of its sessions, as last reported ({@link ClusteredRouteTable}):
 * each change is applied here and the route built from all of them when its write runs
 * ({@link RouteWrites}, which writes a key changed twice before its batch once).
 */
final class SharedFacts {

    private final long boundAt;
    private boolean available;
    private int priority;
    private String presence;
    private boolean rosterRequested;
    private List<String> directedTo = List.of();
    private boolean carbons;
    private boolean blockListRequested;

    /** @param boundAt when the session was bound, in the cluster's time ({@link SessionRoute#boundAt}) */
    SharedFacts(long boundAt) {
        this.boundAt = boundAt;
    }

    long boundAt() {
        return boundAt;
    }

    /** Applies {@code change}; true if it changed something (the caller has the route written). */
    synchronized boolean change(Predicate<SharedFacts> change) {
        return change.test(this);
    }

    /** The route to write now, with every change made until now. */
    synchronized SessionRoute take(String node, String binding) {
        return new SessionRoute(node, binding, available, priority, presence, rosterRequested, directedTo, carbons,
                blockListRequested, boundAt);
    }

    boolean presence(boolean nowAvailable, int nowPriority, String xml) {
        available = nowAvailable;
        priority = nowPriority;
        presence = xml;
        if (!nowAvailable) {
            directedTo = List.of();
        }
        return true;
    }

    boolean rosterRequested() {
        boolean changed = !rosterRequested;
        rosterRequested = true;
        return changed;
    }

    boolean carbons(boolean enabled) {
        boolean changed = carbons != enabled;
        carbons = enabled;
        return changed;
    }

    boolean blockListRequested() {
        boolean changed = !blockListRequested;
        blockListRequested = true;
        return changed;
    }

    boolean directedTo(List<String> jids) {
        boolean changed = !directedTo.equals(jids);
        directedTo = jids;
        return changed;
    }
}
