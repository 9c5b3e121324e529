package im.parley.core.sasl;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.jid.PrecisXmppStringprep;
import java.nio.charset.StandardCharsets;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.stringprep.XmppStringprepException;
import rocks.xmpp.precis.PrecisProfiles;

/** Preparation of the identities and passwords SASL mechanisms receive. */
final class SaslIdentities {

    /** RFC 7622 §3.1: a localpart is at most 1023 octets. */
    static final int MAX_USERNAME_OCTETS = 1023;
    private static final PrecisXmppStringprep PREP = new PrecisXmppStringprep();

    private SaslIdentities() {
    }

    /**
     * The username as an XMPP localpart: PRECIS UsernameCaseMapped (RFC 8265 §3.3, RFC 7677 §4
     * for SCRAM, RFC 6120 §6.3.7) plus the localpart exclusions of RFC 7622 §3.3.1. A name that
     * cannot be prepared cannot belong to an account: not-authorized.
     */
    static String prepareUsername(String username) throws SaslFailureException {
        try {
            String prepared = PREP.localprep(username);
            if (prepared.isEmpty() || prepared.getBytes(StandardCharsets.UTF_8).length > MAX_USERNAME_OCTETS) {
                throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, null);
            }
            return prepared;
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, null);
        }
    }

    /** The password prepared with PRECIS OpaqueString (RFC 8265 §4.2). */
    static String preparePassword(String password) throws SaslFailureException {
        try {
            return PrecisProfiles.OPAQUE_STRING.enforce(password);
        } catch (IllegalArgumentException e) {
            throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, null);
        }
    }

    /**
     * Whether the authenticated {@code username} may act as {@code authzid}: Parley allows no
     * proxy authorization, so the authzid, if present, must be the user's own bare JID (RFC 6120
     * §6.3.8).
     */
    static boolean authorizes(String authzid, String username, String domain) {
        if (authzid == null) {
            return true;
        }
        try {
            EntityBareJid requested = Jids.parseEntityBare(authzid);
            EntityBareJid own = Jids.parseEntityBare(username + "@" + domain);
            return requested.equals(own);
        } catch (JidMalformedException e) {
            return false;
        }
    }
}
