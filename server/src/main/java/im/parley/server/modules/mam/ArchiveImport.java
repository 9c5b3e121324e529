package im.parley.server.modules.mam;

import im.parley.server.storage.ModuleSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Writes messages straight into accounts' archives through the store the module queries, on a
 * database no running server holds (the embedded one admits one process): for importing archives
 * and for the benchmark that needs an archive of 100,000 messages in seconds
 * ({@code parley-bench fill-parley-archive}). Each message gets a new XEP-0359 id, and an
 * incoming one its {@code <stanza-id/>}, as {@link MamModule} archives them.
 */
public final class ArchiveImport {

    /** One message of {@code owner}'s archive, exchanged with {@code with} and archived at {@code stamp}. */
    public record Entry(EntityBareJid owner, Jid with, Instant stamp, Element message, boolean incoming) {
    }

    private final JdbcArchiveStore store;

    /** Brings the module's tables up to date first, as the module does when it loads. */
    public ArchiveImport(DataSource database) {
        this.store = new JdbcArchiveStore(new ModuleSchemas(database)
                .migrate(new MamModule().name(), MamModule.class.getClassLoader(), "classpath:db/mam"));
    }

    /** Archives {@code entries} in one transaction; returns how many were (those of no account are not). */
    public int append(List<Entry> entries) {
        List<ArchiveRecord> batch = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            String id = StanzaIds.next();
            Element stored = entry.incoming() ? StanzaIds.stamped(entry.message(), id, entry.owner()) : entry.message();
            batch.add(new ArchiveRecord(entry.owner(), entry.with(), new ArchivedMessage(id, entry.stamp(), stored.asXML())));
        }
        return (int) store.appendAll(batch).stream().filter(archived -> archived).count();
    }
}
