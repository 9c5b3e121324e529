package im.parley.s2s;

import java.util.Objects;
import org.jxmpp.jid.DomainBareJid;

/**
 * A local domain and a remote domain: the unit of server-to-server authentication. Each pair
 * has its own outbound stream and is authenticated on its own (RFC 6120 §13.1, XEP-0220 §2:
 * one {@code db:result} per pair on a multiplexed stream).
 */
public record DomainPair(DomainBareJid local, DomainBareJid remote) {

    public DomainPair {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String toString() {
        return local + "→" + remote;
    }
}
