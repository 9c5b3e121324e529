package im.parley.bench.soak;

/**
 * The kinds of unauthenticated connection a soak keeps opening (issue 17 item 7), the listener
 * each one goes to, and its weight in the churn.
 */
enum ProbeKind {
    /** Opens a stream, reads the features, vanishes (RFC 6120 §4.3.2). */
    STREAM_VANISH("stream_vanish", Listener.C2S, 4),
    /** STARTTLS (RFC 6120 §5.4.2), then half a TLS handshake: vanishes after the server's first flight. */
    HALF_STARTTLS("half_starttls", Listener.C2S, 2),
    /** Half a TLS handshake on the direct TLS port (XEP-0368). */
    HALF_DIRECT_TLS("half_direct_tls", Listener.DIRECT_TLS, 2),
    /** A real login with a wrong password: SASL {@code not-authorized} (RFC 6120 §6.5.10). */
    WRONG_PASSWORD("wrong_password", Listener.C2S, 3),
    /** Bytes that are not XML, after the stream header or from the first byte. */
    GARBAGE("garbage", Listener.C2S, 3),
    /** A stanza over {@code limits.max_stanza_size_before_auth}: {@code policy-violation} (§13.12). */
    OVERSIZED("oversized", Listener.C2S, 2),
    /** A BOSH session created and never used (XEP-0124 §7.1). */
    BOSH_ABANDONED("bosh_abandoned", Listener.HTTP, 3),
    /** An HTTP request whose body stops half way, then the connection vanishes. */
    HTTP_HALF_SENT("http_half_sent", Listener.HTTP, 3),
    /** An HTTP request whose body stops half way, held open until the server's 408. */
    HTTP_STALLED("http_stalled", Listener.HTTP, 1),
    /** A WebSocket upgraded (RFC 7395 §3.3) and left without a word. */
    WEBSOCKET_ABANDONED("websocket_abandoned", Listener.HTTP, 2);

    /** Where a probe connects. */
    enum Listener { C2S, DIRECT_TLS, HTTP }

    private final String label;
    private final Listener listener;
    private final int weight;

    ProbeKind(String label, Listener listener, int weight) {
        this.label = label;
        this.listener = listener;
        this.weight = weight;
    }

    String label() {
        return label;
    }

    Listener listener() {
        return listener;
    }

    int weight() {
        return weight;
    }
}
