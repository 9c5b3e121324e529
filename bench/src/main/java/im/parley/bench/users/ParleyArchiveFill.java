package im.parley.bench.users;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.Namespaces;
import im.parley.server.config.ParleyConfig;
import im.parley.server.modules.mam.ArchiveImport;
import im.parley.server.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Fills one account's message archive (XEP-0313) on Parley's database before the server starts,
 * straight through the archive's store ({@link ArchiveImport}), for the MAM page benchmark
 * ({@code mam}): {@code <prefix>1} chatted with {@code <prefix>2 … <prefix>(contacts+1)} in
 * turn, half sent and half received, one message every {@code span / count} over {@code span}
 * up to an hour ago (within any sane {@code mam.retention}).
 *
 * <p>Through the store, not by sending: 100,000 messages sent over c2s would take minutes on a
 * loaded machine and all carry the same minute, which leaves a time-range query nothing to
 * choose from; the query path, what the benchmark measures, reads the same rows either way.
 */
public final class ParleyArchiveFill {
    private static final int BATCH = 1000;

    private ParleyArchiveFill() {
    }

    /** Returns how many messages were archived (none if {@code <prefix>1} does not exist). */
    public static int fill(ParleyConfig config, String domain, String prefix, int count, int contacts, Duration span) {
        try (Database database = Database.open(config.storage(), config.dataDir())) {
            ArchiveImport archive = new ArchiveImport(database.dataSource());
            EntityBareJid owner = Jids.parseEntityBare(prefix + 1 + "@" + domain);
            Jid ownerResource = Jids.parse(owner + "/bench");
            List<Jid> peers = new ArrayList<>();
            for (int i = 0; i < contacts; i++) {
                peers.add(Jids.parse(prefix + (i + 2) + "@" + domain + "/bench"));
            }
            Instant first = Instant.now().minus(Duration.ofHours(1)).minus(span);
            long stepMicros = Math.max(1, span.toNanos() / 1000 / count);
            int archived = 0;
            List<ArchiveImport.Entry> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < count; i++) {
                Jid peer = peers.get(i % contacts);
                boolean incoming = (i / contacts) % 2 == 0;
                Element message = chat(incoming ? peer : ownerResource, incoming ? ownerResource : peer, i);
                batch.add(new ArchiveImport.Entry(owner, peer, first.plusNanos(i * stepMicros * 1000), message, incoming));
                if (batch.size() == BATCH || i == count - 1) {
                    archived += archive.append(batch);
                    batch.clear();
                }
            }
            return archived;
        } catch (JidMalformedException e) {
            throw new IllegalArgumentException("not a valid user name: " + e.getMessage(), e);
        }
    }

    private static Element chat(Jid from, Jid to, int n) {
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("type", "chat").addAttribute("from", from.toString()).addAttribute("to", to.toString())
                .addAttribute("id", "fill-" + n);
        message.addElement(QName.get("body", Namespaces.CLIENT)).setText("Archived message number " + n + ", about as long as a chat line is.");
        return message;
    }
}
