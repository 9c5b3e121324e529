package im.parley.server.config;

import java.util.Map;

/**
 * External components (XEP-0114): the listener they connect to and, per component domain, the
 * shared secret of the handshake (XEP-0114 §3).
 *
 * @param listener where components connect ({@code jabber:component:accept} streams), usually port 5347
 * @param secrets component domain → shared secret
 */
public record ComponentsConfig(ListenerConfig listener, Map<String, String> secrets) {

    public ComponentsConfig {
        secrets = Map.copyOf(secrets);
    }

    public static ComponentsConfig defaults() {
        return new ComponentsConfig(ListenerConfig.off("127.0.0.1", 5347), Map.of());
    }

    public ComponentsConfig withListener(ListenerConfig v) {
        return new ComponentsConfig(v, secrets);
    }

    public ComponentsConfig withSecrets(Map<String, String> v) {
        return new ComponentsConfig(listener, v);
    }
}
