package im.parley.bench.soak;

/**
 * The unauthenticated churn of a soak: connections that never become a session, from many
 * loopback source addresses ({@code 127.2.0.1} on, see {@link ChurnSources}).
 *
 * @param rate              connections opened per second in all, shared among the
 *                          {@link ProbeKind}s by their weights
 * @param sources           distinct source addresses to rotate through
 * @param directTlsPort     the server's direct TLS port (XEP-0368); 0: no probes there
 * @param httpPort          the server's HTTP port (BOSH, WebSocket); 0: no HTTP probes
 * @param answerSeconds     how long a probe waits for the server's answer
 * @param httpStallSeconds  how long a stalled HTTP request waits for its 408 (the server's
 *                          {@code http.body_timeout} and some)
 * @param kinds             the labels of the kinds to open ({@code stream_vanish}, ...); empty: all
 */
public record ChurnLoad(double rate, int sources, int directTlsPort, int httpPort, double answerSeconds,
                        double httpStallSeconds, java.util.Set<String> kinds) {

    public ChurnLoad {
        kinds = java.util.Set.copyOf(kinds);
        for (String kind : kinds) {
            if (java.util.Arrays.stream(ProbeKind.values()).noneMatch(k -> k.label().equals(kind))) {
                throw new IllegalArgumentException("no churn kind " + kind);
            }
        }
    }
}
