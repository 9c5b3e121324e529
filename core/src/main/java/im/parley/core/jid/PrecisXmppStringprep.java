package im.parley.core.jid;

import java.util.regex.Pattern;
import org.jxmpp.stringprep.XmppStringprep;
import org.jxmpp.stringprep.XmppStringprepException;
import org.jxmpp.util.cache.Cache;
import org.jxmpp.util.cache.LruCache;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * JID preparation per RFC 7622 with the PRECIS framework (rocks.xmpp precis): localparts are
 * enforced with the UsernameCaseMapped profile (RFC 8265 §3.3, RFC 7622 §3.3.2) and must not
 * contain the characters RFC 7622 §3.3.1 forbids; domainparts follow IDNA2008 (RFC 7622 §3.2);
 * resourceparts use the OpaqueString profile (RFC 8265 §4.2, RFC 7622 §3.4.2).
 */
public final class PrecisXmppStringprep implements XmppStringprep {

    private static final String FORBIDDEN_IN_LOCALPART = "\"&'/:<>@";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /**
     * Prepared domainparts and localparts, as jxmpp caches its own preparation: every stanza's
     * addresses are parsed, most name the same few domains and online users, and a PRECIS
     * enforcement is costly (in a login storm, domainprep alone took a tenth of the event loops'
     * time). Only successful preparations are kept; each part is at most 1023 octets (RFC 7622
     * §3.1, checked after preparation), so the caches hold at most a few MB.
     */
    private final Cache<String, String> domains = new LruCache<>(256);
    private final Cache<String, String> localparts = new LruCache<>(4096);

    @Override
    public String localprep(String string) throws XmppStringprepException {
        return cached(localparts, string, PrecisXmppStringprep::enforceLocalpart);
    }

    @FunctionalInterface
    private interface Preparation {
        String prepare(String string) throws XmppStringprepException;
    }

    private static String cached(Cache<String, String> cache, String string, Preparation preparation)
            throws XmppStringprepException {
        String prepared = cache.lookup(string);
        if (prepared == null) {
            prepared = preparation.prepare(string);
            cache.put(string, prepared);
        }
        return prepared;
    }

    private static String enforceLocalpart(String string) throws XmppStringprepException {
        for (int i = 0; i < string.length(); i++) {
            if (FORBIDDEN_IN_LOCALPART.indexOf(string.charAt(i)) >= 0) {
                throw new XmppStringprepException(string, "localpart contains '" + string.charAt(i) + "' (RFC 7622 §3.3.1)");
            }
        }
        try {
            return PrecisProfiles.USERNAME_CASE_MAPPED.enforce(string);
        } catch (IllegalArgumentException e) {
            throw new XmppStringprepException(string, "localpart is not a valid PRECIS username: " + e.getMessage());
        }
    }

    @Override
    public String domainprep(String string) throws XmppStringprepException {
        return cached(domains, string, PrecisXmppStringprep::enforceDomainpart);
    }

    private static String enforceDomainpart(String string) throws XmppStringprepException {
        String domain = string.endsWith(".") ? string.substring(0, string.length() - 1) : string;
        if (domain.isEmpty()) {
            throw new XmppStringprepException(string, "empty domainpart (RFC 7622 §3.2)");
        }
        if (isIpLiteral(domain)) {
            return domain;
        }
        try {
            String prepared = PrecisProfiles.IDN.enforce(domain);
            for (String label : prepared.split("\\.", -1)) {
                if (label.isEmpty() || label.length() > 63) {
                    throw new XmppStringprepException(string, "invalid DNS label in domainpart (RFC 7622 §3.2)");
                }
                if (label.startsWith("-") || label.endsWith("-")) {
                    throw new XmppStringprepException(string, "label starts or ends with a hyphen (RFC 5891 §4.2.3.1)");
                }
                for (int i = 0; i < label.length(); i++) {
                    char c = label.charAt(i);
                    if (c < 0x80 && !(Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                        throw new XmppStringprepException(string, "character '" + c + "' is not allowed in a domainpart");
                    }
                }
            }
            return prepared;
        } catch (IllegalArgumentException e) {
            throw new XmppStringprepException(string, "domainpart is not a valid IDN: " + e.getMessage());
        }
    }

    @Override
    public String resourceprep(String string) throws XmppStringprepException {
        try {
            return PrecisProfiles.OPAQUE_STRING.enforce(string);
        } catch (IllegalArgumentException e) {
            throw new XmppStringprepException(string, "resourcepart is not a valid PRECIS OpaqueString: " + e.getMessage());
        }
    }

    private static boolean isIpLiteral(String domain) {
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return true;
        }
        return IPV4.matcher(domain).matches();
    }
}
