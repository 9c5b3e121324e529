package im.parley.server.session;

import im.parley.core.routing.Stanza;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jxmpp.jid.EntityBareJid;

/**
 * Where an entity whose live state is held in one process's memory (a group chat room and its
 * occupants, XEP-0045) is served: on a cluster, one node at a time, its home, which the first
 * node to need it claims; the other nodes hand it the stanzas for the entity. On a single server
 * this process is the home of everything ({@link #SINGLE}).
 */
public interface StateHomes {

    /** A single server: every entity lives here. */
    StateHomes SINGLE = new StateHomes() {
        @Override
        public CompletionStage<Optional<String>> elsewhere(EntityBareJid entity) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Boolean> routeOn(String home, Stanza stanza) {
            throw new IllegalStateException("a single server has no other node");
        }

        @Override
        public void release(EntityBareJid entity) {
        }
    };

    /**
     * Completes with the node that is {@code entity}'s home when that is another node, or empty
     * when it is this one (claimed now if no live node was its home). Never blocks.
     */
    CompletionStage<Optional<String>> elsewhere(EntityBareJid entity);

    /**
     * Hands {@code stanza} to node {@code home}, whose router routes it as if it had arrived
     * there; the stanzas one node hands another keep their order (RFC 6120 §10.1). Completes with
     * true once {@code home} confirmed that it handled the stanza (XEP-0198 §4: its sender may
     * count it as handled then), with false if {@code home} left or did not confirm in time: the
     * stanza is the caller's to handle then.
     */
    CompletionStage<Boolean> routeOn(String home, Stanza stanza);

    /** This node no longer holds {@code entity}'s state (it left memory): the next node to need it may claim it. */
    void release(EntityBareJid entity);
}
