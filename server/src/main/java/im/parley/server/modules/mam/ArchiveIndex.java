package im.parley.server.modules.mam;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Where the accounts' archived messages are kept and queried (XEP-0313 §4): {@link JdbcArchiveStore}
 * on PostgreSQL, where the database does the work in its own process; {@link RocksArchiveIndex} with
 * the embedded database, whose B-trees cost ~0.3 ms of the server's CPU per archived row (issue 13).
 * Results are in archive order: the time a message was archived, then arrival order. Blocking:
 * call on the blocking executor.
 */
interface ArchiveIndex {

    /** An id in a query that is not in the archive (XEP-0313 §4.1.3, §4.3.2: item-not-found). */
    final class UnknownIdException extends RuntimeException {
        UnknownIdException(String id) {
            super("no archived message with id " + id);
        }
    }

    /**
     * Archives a batch (without the journal); for each, true if it was archived, false if its
     * account does not exist.
     */
    List<Boolean> appendAll(List<ArchiveRecord> batch);

    /**
     * The indexer's write ({@link ArchiveIndexer}): archives {@code batch}, read from
     * {@code domain}'s journal from position {@code from}, and records {@code position}, the
     * journal position after it, as indexed, both or neither. Messages of no account are dropped.
     * A batch from before the position already indexed (a position lost, a journal restored) may
     * hold messages archived already: none is archived twice, so such a batch changes nothing.
     */
    void index(DomainBareJid domain, List<JournalRecord> batch, long from, long position);

    /** The journal position of {@code domain} indexed so far (0 if none). */
    long indexedPosition(DomainBareJid domain);

    /**
     * One page of {@code owner}'s archive: the form's filters (§4.1), the RSM page (XEP-0059 §2)
     * and the count of all matches (§2.6).
     *
     * @throws UnknownIdException if an id the query names is not in the archive
     */
    ArchivePage query(EntityBareJid owner, ArchiveQuery query);

    /** The oldest and newest message of {@code owner}'s archive (XEP-0313 §5), if it has any. */
    Optional<List<ArchivedMessage>> ends(EntityBareJid owner);

    /** The newest {@code limit} messages of {@code archive}, oldest first. */
    List<ArchivedMessage> latest(EntityBareJid archive, int limit);

    /** The stanza archived under {@code id}, if there is one. */
    Optional<String> stanza(EntityBareJid archive, String id);

    /** Replaces the stanza archived under {@code id} (a moderated message's tombstone); false if none. */
    boolean replace(EntityBareJid archive, String id, String stanzaXml);

    /** Deletes a whole archive (its account's deleted, or a destroyed room's). */
    void delete(EntityBareJid archive);

    /** Deletes the messages of {@code domain}'s archives archived before {@code cutoff}; returns how many. */
    int purge(DomainBareJid domain, Instant cutoff);

    /** The messages in every archive of {@code domain} (sampled for metrics). */
    long size(DomainBareJid domain);
}
