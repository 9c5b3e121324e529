package im.parley.server.modules.mam;

import im.parley.core.routing.Stanza;
import im.parley.core.xml.XmppElementEncoder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

    /** A stored message: when it was archived, and the stanza as XML. */
    public record Stored(Instant stamp, String stanzaXml) {
    }

    private final JdbcArchiveStore store;
    private final int maxPageSize;
    private final ArchiveWriter writer;

    /** An archive whose appends are written at once, in the caller's thread (tests, tools). */
    public ModuleArchive(DataSource database, String table, int maxPageSize) {
        this(database, table, maxPageSize, Runnable::run, 1);
    }

    /**
     * @param table a table with the columns and indexes of {@code mam_messages} (see {@link JdbcArchiveStore})
     * @param writes where appends are written, group-committed as the accounts' are ({@link ArchiveWriter}:
     *               the blocking executor)
     * @param writeBatch the most messages one transaction writes ({@link MamModule#WRITE_BATCH})
     */
    public ModuleArchive(DataSource database, String table, int maxPageSize, Executor writes, int writeBatch) {
        this.store = new JdbcArchiveStore(database, table);
        this.maxPageSize = maxPageSize;
        this.writer = new ArchiveWriter(store::appendAllUnowned, writes, writeBatch);
    }

    /** The query form (§4.1.5), for a {@code get}. */
    public static Element form(Stanza iq) {
        Element answer = im.parley.core.stream.Stanzas.iqResult(iq.element());
        answer.add(ArchiveAnswers.form());
        return answer;
    }

    /**
     * Queues {@code stanza} for {@code archive}, to be written with whatever else waits (group
     * commit, in queue order). Never blocks; completes once the message is committed, or
     * exceptionally if its batch could not be written.
     */
    public CompletableFuture<Void> append(EntityBareJid archive, Jid with, String id, Instant stamp, Element stanza) {
        return writer.append(archive, ArchivedMessage.ofUtf8(id, stamp, XmppElementEncoder.toUtf8(stanza)), with).thenApply(archived -> null);
    }

    /** The newest {@code limit} messages of {@code archive}, oldest first. Blocking. */
    public List<Stored> latest(EntityBareJid archive, int limit) {
        return store.latest(archive, limit).stream()
                .map(message -> new Stored(message.stamp(), message.stanzaXml())).toList();
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
