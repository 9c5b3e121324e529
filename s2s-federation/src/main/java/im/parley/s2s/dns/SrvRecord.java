package im.parley.s2s.dns;

/** One SRV resource record (RFC 2782). */
public record SrvRecord(int priority, int weight, int port, String target) {
}
