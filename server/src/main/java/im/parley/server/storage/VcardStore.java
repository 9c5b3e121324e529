package im.parley.server.storage;

import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/** One vcard-temp vCard per account, as XML text (XEP-0054). Blocking: call off the event loop. */
public interface VcardStore {

    /** The account's vCard XML, if it set one. */
    Optional<String> load(EntityBareJid owner);

    /** Replaces the account's vCard (XEP-0054 §3.2: a set carries the whole vCard). */
    void save(EntityBareJid owner, String vcardXml);
}
