package im.parley.server.c2s;

import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * A feature's hold on the stanza flow of one client session, whatever the transport: XEP-0198
 * stream management counts and keeps what goes out and decides whether a lost connection ends
 * the session; XEP-0352 client state indication holds back unimportant output. Installed on a
 * {@link C2sSession} with {@link C2sSession#addInterceptor}; called on the session's executor.
 */
public interface SessionInterceptor {

    /**
     * Position in the output chain: a stanza passes the interceptors from the highest layer down,
     * then reaches the transport. A layer that holds stanzas back (client state) sits above one
     * that must count what really leaves (stream management).
     */
    int layer();

    /**
     * A stanza on its way to the client. Pass it on with {@link C2sSession#deliverBelow}, now,
     * later or never.
     */
    default void outbound(Element stanza, C2sSession session) {
        session.deliverBelow(this, stanza);
    }

    /**
     * The session received a stanza from the client and routed it; {@code handling} completes
     * when its effect is durable (XEP-0198 §4 counts it then).
     */
    default void inboundReceived(Element stanza, CompletionStage<Void> handling, C2sSession session) {
    }

    /**
     * The connection was lost without a closing handshake or stream error. True if the session
     * lives on without a connection (XEP-0198 §5 hibernation); it then stays bound until
     * {@link C2sSession#end()} or a new connection takes it over ({@link C2sSession#attach}).
     */
    default boolean survivesConnectionLoss(C2sSession session) {
        return false;
    }

    /** The session ended: it was unbound and the modules were told ({@code SessionEvents.CLOSED}). */
    default void ended(C2sSession session) {
    }
}
