package im.parley.server.config;

/**
 * Client state indication (XEP-0352): what the server holds back while a client says it is inactive.
 *
 * @param enabled whether {@code <csi xmlns='urn:xmpp:csi:0'/>} is offered
 * @param maxBuffered most held-back stanzas per session (after presence of one sender collapsed to
 *     the latest); one more flushes them all
 */
public record ClientStateConfig(boolean enabled, int maxBuffered) {

    public static ClientStateConfig defaults() {
        return new ClientStateConfig(true, 100);
    }

    public ClientStateConfig withEnabled(boolean v) {
        return new ClientStateConfig(v, maxBuffered);
    }

    public ClientStateConfig withMaxBuffered(int v) {
        return new ClientStateConfig(enabled, v);
    }
}
