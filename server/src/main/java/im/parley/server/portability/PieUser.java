package im.parley.server.portability;

import im.parley.core.sasl.ScramCredential;
import im.parley.server.storage.RosterItem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * One {@code <user/>} of a XEP-0227 file, checked and turned into what Parley stores, before
 * anything is written: a record that does not parse is refused whole.
 *
 * @param password the plain password of the {@code password} attribute (§4.2), if any
 * @param scram the SCRAM credentials Parley can use (§4.2, version 1.1), one per hash
 * @param credentialNotes what could not be used of the credentials, for the report
 * @param disabled true if the export marked the account disabled (Parley's own extension)
 * @param vcard the vcard-temp element as XML (§4.6)
 * @param ignored the child elements Parley does not import, for the report (§4: SHOULD notify)
 */
record PieUser(EntityBareJid jid, Optional<String> password, List<ScramCredential> scram, List<String> credentialNotes,
               boolean disabled, List<RosterItem> roster, List<PendingRequest> pending, Optional<String> vcard,
               List<PrivateEntry> privateXml, List<OfflineEntry> offline, List<String> ignored) {

    /** An inbound subscription request awaiting the user's answer (§4.8), as the presence stanza's XML. */
    record PendingRequest(BareJid contact, String stanzaXml) {
    }

    /** One private XML fragment (§4.5, XEP-0049). */
    record PrivateEntry(String namespace, String elementName, String xml) {
    }

    /** One offline message (§4.4) and when the exporting server stored it (its XEP-0203 delay stamp). */
    record OfflineEntry(String stanzaXml, Instant storedAt) {
    }
}
