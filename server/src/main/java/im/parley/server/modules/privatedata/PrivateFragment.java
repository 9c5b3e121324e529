package im.parley.server.modules.privatedata;

import java.util.Optional;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;

/**
 * Where another module keeps one kind of private XML fragment (XEP-0049) instead of the private
 * XML store: bookmarks ({@code storage:bookmarks}) live in PEP (XEP-0402 §5.3). Both methods
 * block and run in the owner's turn.
 */
public interface PrivateFragment {

    /** The owner's fragment, if there is one. */
    Optional<Element> load(EntityBareJid owner);

    /** Replaces the owner's fragment. */
    void save(EntityBareJid owner, Element fragment);
}
