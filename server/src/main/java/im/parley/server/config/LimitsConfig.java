package im.parley.server.config;

import java.time.Duration;

/**
 * Limits that keep bad or hostile input bounded.
 *
 * @param maxStanzaSizeBeforeAuth largest top-level element before authentication, bytes
 * @param maxStanzaSize largest top-level element after authentication, bytes
 * @param maxDepth deepest element nesting inside one stanza
 * @param negotiationTimeout a stream that has not authenticated and bound by then gets
 *     {@code connection-timeout}
 * @param maxAuthFailures failed SASL attempts allowed per client address within
 *     {@code authFailureWindow} before further attempts are refused
 * @param authFailureWindow the window for {@code maxAuthFailures}
 */
public record LimitsConfig(int maxStanzaSizeBeforeAuth, int maxStanzaSize, int maxDepth,
                           Duration negotiationTimeout, int maxAuthFailures, Duration authFailureWindow) {

    public static LimitsConfig defaults() {
        return new LimitsConfig(8 * 1024, 256 * 1024, 64, Duration.ofSeconds(60), 5, Duration.ofMinutes(5));
    }
}
