package im.parley.server.config;

import im.parley.core.xml.XmlLimits;
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
 * @param idleParserRelease a c2s TCP stream that has read nothing for this long gives back its
 *     XML parser's memory, rebuilt when bytes arrive again
 * @param input names, attributes and namespace declarations per stanza, and read rates
 */
public record LimitsConfig(int maxStanzaSizeBeforeAuth, int maxStanzaSize, int maxDepth,
                           Duration negotiationTimeout, int maxAuthFailures, Duration authFailureWindow,
                           Duration idleParserRelease, InputLimits input) {

    public static final Duration DEFAULT_IDLE_PARSER_RELEASE = Duration.ofSeconds(30);

    public LimitsConfig(int maxStanzaSizeBeforeAuth, int maxStanzaSize, int maxDepth,
                        Duration negotiationTimeout, int maxAuthFailures, Duration authFailureWindow) {
        this(maxStanzaSizeBeforeAuth, maxStanzaSize, maxDepth, negotiationTimeout, maxAuthFailures, authFailureWindow,
                DEFAULT_IDLE_PARSER_RELEASE, InputLimits.defaults());
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(8 * 1024, 256 * 1024, 64, Duration.ofSeconds(60), 5, Duration.ofMinutes(5));
    }

    /** The XML decoder's limits for top-level elements of at most {@code maxStanzaBytes}. */
    public XmlLimits xml(int maxStanzaBytes) {
        return new XmlLimits(maxStanzaBytes, maxDepth, input.maxAttributes(), input.maxNamespaceDeclarations(),
                input.maxNames());
    }

    public LimitsConfig withMaxStanzaSizeBeforeAuth(int value) {
        return new LimitsConfig(value, maxStanzaSize, maxDepth, negotiationTimeout, maxAuthFailures,
                authFailureWindow, idleParserRelease, input);
    }

    public LimitsConfig withMaxStanzaSize(int value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, value, maxDepth, negotiationTimeout, maxAuthFailures,
                authFailureWindow, idleParserRelease, input);
    }

    public LimitsConfig withMaxDepth(int value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, maxStanzaSize, value, negotiationTimeout, maxAuthFailures,
                authFailureWindow, idleParserRelease, input);
    }

    public LimitsConfig withNegotiationTimeout(Duration value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, maxStanzaSize, maxDepth, value, maxAuthFailures,
                authFailureWindow, idleParserRelease, input);
    }

    public LimitsConfig withMaxAuthFailures(int value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, maxStanzaSize, maxDepth, negotiationTimeout, value,
                authFailureWindow, idleParserRelease, input);
    }

    public LimitsConfig withAuthFailureWindow(Duration value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, maxStanzaSize, maxDepth, negotiationTimeout, maxAuthFailures,
                value, idleParserRelease, input);
    }

    public LimitsConfig withInput(InputLimits value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, maxStanzaSize, maxDepth, negotiationTimeout, maxAuthFailures,
                authFailureWindow, idleParserRelease, value);
    }

    public LimitsConfig withIdleParserRelease(Duration value) {
        return new LimitsConfig(maxStanzaSizeBeforeAuth, maxStanzaSize, maxDepth, negotiationTimeout, maxAuthFailures,
                authFailureWindow, value, input);
    }
}
