package im.parley.core.jid;

import org.jxmpp.JxmppContext;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Parses JIDs from the wire into jxmpp's typed JIDs, prepared with PRECIS (RFC 7622). Strings
 * exist only on the wire; everything past the stream uses these types.
 */
public final class Jids {

    /** A jxmpp context that prepares with PRECIS; immutable, so one constant is shared. */
    public static final JxmppContext PRECIS = JxmppContext.builder()
            .withXmppStringprep(new PrecisXmppStringprep())
            .build();

    /** RFC 7622 §3.1: each part is at most 1023 octets. */
    private static final int MAX_PART_OCTETS = 1023;

    private Jids() {
    }

    /** Any JID; invalid → {@link JidMalformedException} (stanza error {@code jid-malformed}). */
    public static Jid parse(String jid) throws JidMalformedException {
        try {
            Jid parsed = JidCreate.from(jid, PRECIS);
            checkLengths(jid, parsed);
            return parsed;
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new JidMalformedException(jid, e.getMessage());
        }
    }

    public static EntityBareJid parseEntityBare(String jid) throws JidMalformedException {
        Jid parsed = parse(jid);
        EntityBareJid bare = parsed.asEntityBareJidIfPossible();
        if (bare == null || parsed.hasResource()) {
            throw new JidMalformedException(jid, "not a bare JID of the form local@domain");
        }
        return bare;
    }

    public static DomainBareJid parseDomain(String domain) throws JidMalformedException {
        Jid parsed = parse(domain);
        if (!(parsed instanceof DomainBareJid d)) {
            throw new JidMalformedException(domain, "not a domain");
        }
        return d;
    }

    public static Resourcepart resourcepart(String resource) throws JidMalformedException {
        try {
            Resourcepart r = Resourcepart.from(resource, PRECIS);
            if (r.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PART_OCTETS) {
                throw new JidMalformedException(resource, "resourcepart longer than 1023 octets");
            }
            return r;
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new JidMalformedException(resource, e.getMessage());
        }
    }

    public static EntityFullJid full(EntityBareJid bare, Resourcepart resource) {
        return JidCreate.entityFullFrom(bare, resource);
    }

    private static void checkLengths(String raw, Jid jid) throws JidMalformedException {
        check(raw, jid.getLocalpartOrNull() == null ? null : jid.getLocalpartOrNull().toString());
        check(raw, jid.getDomain().toString());
        check(raw, jid.getResourceOrNull() == null ? null : jid.getResourceOrNull().toString());
    }

    private static void check(String raw, String part) throws JidMalformedException {
        if (part != null && part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PART_OCTETS) {
            throw new JidMalformedException(raw, "a part is longer than 1023 octets (RFC 7622 §3.1)");
        }
    }
}
