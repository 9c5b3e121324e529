package im.parley.server.cluster;

import java.util.function.Supplier;

/**
 * Secrets every node of a cluster must hold alike (docs/operations.md, Clustering): the dialback
 * secret (XEP-0185 §3), so that any node confirms the dialback keys any other one handed out
 * (XEP-0220 §2.1.2: the remote server verifies a key over a connection of its own, which may
 * reach another node).
 */
@FunctionalInterface
public interface ClusterSecrets {

    /** The name of the dialback secret. */
    String DIALBACK = "dialback";

    /**
     * The secret called {@code name}: the one the cluster holds, or else {@code generated}'s,
     * which then becomes the cluster's. Every node gets the same answer, also nodes that ask at
     * the same time. Blocking.
     */
    String shared(String name, Supplier<String> generated);
}
