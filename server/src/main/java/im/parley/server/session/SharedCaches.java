package im.parley.server.session;

import java.util.function.Consumer;

/**
 * Caches of stored state that each node of a cluster keeps in memory (an account's block list,
 * say): a node that changes the stored state says so, and every other node forgets its copy and
 * reads the state again when it next needs it; or state a node acts on when it changes (messages
 * stored offline for an account whose resource is connected to another node). On a single server
 * there is no other node ({@link #LOCAL}).
 */
public interface SharedCaches {

    /** A single server: nobody else to tell. */
    SharedCaches LOCAL = new SharedCaches() {
        @Override
        public void changed(String cache, String key) {
        }

        @Override
        public void onChange(String cache, Consumer<String> forget) {
        }
    };

    /** Tells the other nodes that the entry {@code key} of {@code cache} changed in storage. */
    void changed(String cache, String key);

    /** Runs {@code forget} with the key each time another node says an entry of {@code cache} changed. */
    void onChange(String cache, Consumer<String> forget);
}
