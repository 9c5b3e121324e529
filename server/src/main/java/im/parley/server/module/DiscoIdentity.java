package im.parley.server.module;

/** A service discovery identity (XEP-0030 §3.1), e.g. {@code pubsub/pep} (XEP-0163 §6.1). */
public record DiscoIdentity(String category, String type) {
}
