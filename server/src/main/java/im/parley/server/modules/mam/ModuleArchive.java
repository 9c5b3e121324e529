package im.parley.server.modules.mam;

import im.parley.core.routing.Stanza;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * An archive kept by another module on a table of its own with the shape of the account archive
 * (a MUC room's, XEP-0313 §6): the same store, query form, RSM paging and results. Blocking:
 * call on the blocking executor.
 */
public final class ModuleArchive {

    private final JdbcArchiveStore store;
    private final int maxPageSize;

    /** @param table a table with the columns and indexes of {@code mam_messages} (see {@link JdbcArchiveStore}) */
    public ModuleArchive(DataSource database, String table, int maxPageSize) {
        this.store = new JdbcArchiveStore(database, table);
        this.maxPageSize = maxPageSize;
    }

    /** The query form (§4.1.5), for a {@code get}. */
    public static Element form(Stanza iq) {
        Element answer = im.parley.core.stream.Stanzas.iqResult(iq.element());
        answer.add(ArchiveAnswers.form());
        return answer;
    }

    public void append(EntityBareJid archive, Jid with, String id, Instant stamp, Element stanza) {
        store.append(archive, with, new ArchivedMessage(id, stamp, stanza.asXML()));
    }

    public Optional<String> stanza(EntityBareJid archive, String id) {
        return store.stanza(archive, id);
    }

    public boolean replace(EntityBareJid archive, String id, Element stanza) {
        return store.replace(archive, id, stanza.asXML());
    }

    public void delete(EntityBareJid archive) {
        store.delete(archive);
    }

    public int purge(DomainBareJid domain, Instant cutoff) {
        return store.purge(domain, cutoff);
    }

    /**
     * A query (§4) of {@code archive} by {@code requester}: the results go to {@code deliver}, in
     * order, before the answer with the {@code <fin/>} is returned.
     */
    public Element query(Stanza iq, Element payload, EntityBareJid archive, Jid requester, Consumer<Element> deliver) {
        return ArchiveAnswers.query(iq, payload, maxPageSize, archive, requester, query -> store.query(archive, query),
                deliver);
    }
}
