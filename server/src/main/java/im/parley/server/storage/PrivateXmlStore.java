package im.parley.server.storage;

import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * Private XML fragments of an account (XEP-0049), one per qualified element name (namespace and
 * local name). Blocking: call off the event loop.
 */
public interface PrivateXmlStore {

    /** The stored fragment with this qualified name, as XML text. */
    Optional<String> load(EntityBareJid owner, String namespace, String elementName);

    /** Every stored fragment of the account, as XML text, in no particular order (for export). */
    List<String> list(EntityBareJid owner);

    /** Stores the fragment, replacing any fragment with the same qualified name. */
    void save(EntityBareJid owner, String namespace, String elementName, String fragmentXml);
}
