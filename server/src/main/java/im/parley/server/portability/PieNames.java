package im.parley.server.portability;

import java.util.Set;

/** The namespaces of XEP-0227 files (Portable Import/Export Format, version 1.1) and what they carry. */
final class PieNames {
    /** XEP-0227 §4: the namespace of {@code server-data}, {@code host} and {@code user} since version 1.0. */
    static final String PIE = "urn:xmpp:pie:0";
    /** The namespace of versions before 1.0, still written by older ejabberd releases. */
    static final String PIE_LEGACY = "http://www.xmpp.org/extensions/xep-0227.html#ns";
    /** XEP-0227 §4.2 (version 1.1): SCRAM credentials instead of a plain password. */
    static final String SCRAM = "urn:xmpp:pie:0#scram";
    /** XEP-0227 §5: a file split into several with XInclude. */
    static final String XINCLUDE = "http://www.w3.org/2001/XInclude";
    /**
     * Parley's extension (XEP-0227 §4 lets an exporting server add elements in other namespaces):
     * {@code <disabled/>} marks a disabled account, so a round trip keeps it disabled.
     */
    static final String PARLEY = "urn:parley:pie:0";

    static final String CLIENT = "jabber:client";
    static final String ROSTER = "jabber:iq:roster";
    static final String PRIVATE = "jabber:iq:private";
    static final String VCARD = "vcard-temp";
    static final String DELAY = "urn:xmpp:delay";

    static final Set<String> PIE_NAMESPACES = Set.of(PIE, PIE_LEGACY);

    private PieNames() {
    }
}
