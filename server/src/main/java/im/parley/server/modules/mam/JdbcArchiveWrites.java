package im.parley.server.modules.mam;

import im.parley.server.storage.SqlTransactions;
import im.parley.server.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;

/**
 * The inserts of a {@link JdbcArchiveStore}: batches of archived messages in one transaction each
 * ({@link ArchiveWriter}), and the indexer's batches with the journal position they reach
 * ({@code mam_journal}, {@link ArchiveIndexer}). Apart from the reads because this is the
 * per-message path: one batched statement per transaction, and a message already archived under
 * its stanza id (XEP-0359) is not archived twice, so that a batch indexed again changes nothing.
 * Blocking: call on the blocking executor.
 */
final class JdbcArchiveWrites {

    private final SqlTransactions tx;
    /** The table's name: {@code mam_messages}, or a table of the same shape another module keeps. */
    private final String tableName;

    JdbcArchiveWrites(SqlTransactions tx, String tableName) {
        this.tx = tx;
        this.tableName = tableName;
    }

    /**
     * Archives a batch of messages in archives that belong to no account (MUC rooms'), in one
     * transaction ({@link ArchiveWriter}): every one is archived.
     */
    List<Boolean> appendAllUnowned(List<ArchiveRecord> batch) {
        return tx.run("archive " + batch.size() + " messages in " + tableName, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tableName
                    + " (domain, username, stanza_id, stamp, with_bare, with_full, stanza) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (ArchiveRecord append : batch) {
                    ArchivedMessage message = append.message();
                    SqlTransactions.bindOwner(insert, append.owner());
                    insert.setString(3, message.id());
                    insert.setLong(4, message.stamp().toEpochMilli());
                    insert.setString(5, append.with().asBareJid().toString());
                    insert.setString(6, append.with().toString());
                    insert.setString(7, message.stanzaXml());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return Collections.nCopies(batch.size(), true);
        });
    }

    /**
     * Archives a batch of messages in one transaction ({@link ArchiveWriter}): for each, true if
     * it was archived, false if its account does not exist.
     */
    List<Boolean> appendAll(List<ArchiveRecord> batch) {
        return tx.run("archive " + batch.size() + " messages", connection -> insert(connection, batch, false));
    }

    /**
     * The indexer's transaction ({@link ArchiveIndexer}): archives {@code batch}, read from
     * {@code domain}'s journal, and records {@code position}, the journal position after it, as
     * indexed, both or neither. A message already archived under its id is not archived twice,
     * so a batch indexed again (a position lost, a journal restored) changes nothing: the plain
     * insert runs first, and only if it meets an id already there does the batch run again,
     * skipping those.
     */
    void index(DomainBareJid domain, List<JournalRecord> journaled, long from, long position) {
        List<ArchiveRecord> batch = journaled.stream().map(JournalRecord::record).toList();
        String what = "index " + batch.size() + " archived messages of " + domain;
        try {
            tx.run(what, connection -> indexed(connection, domain, insert(connection, batch, false), position));
        } catch (StorageException e) {
            if (!(e.getCause() instanceof SQLException sql) || !SqlTransactions.isUniqueViolation(sql)) {
                throw e;
            }
            tx.run(what, connection -> indexed(connection, domain, insert(connection, batch, true), position));
        }
    }

    /** The journal position of {@code domain} indexed so far (0 if none). */
    long indexedPosition(DomainBareJid domain) {
        return tx.run("read the indexed archive journal position of " + domain, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT indexed_position FROM mam_journal WHERE domain = ?")) {
                query.setString(1, domain.toString());
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    private static Void indexed(Connection connection, DomainBareJid domain, List<Boolean> inserted, long position)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE mam_journal SET indexed_position = ? WHERE domain = ?")) {
            update.setLong(1, position);
            update.setString(2, domain.toString());
            if (update.executeUpdate() > 0) {
                return null;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mam_journal (domain, indexed_position) VALUES (?, ?)")) {
            insert.setString(1, domain.toString());
            insert.setLong(2, position);
            insert.executeUpdate();
        }
        return null;
    }

    /**
     * Inserts the messages of accounts that exist (the others' are dropped); with
     * {@code skipArchived}, also those whose id their archive already has.
     */
    private static List<Boolean> insert(Connection connection, List<ArchiveRecord> batch, boolean skipArchived)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO mam_messages (domain, username, stanza_id, stamp, with_bare, with_full, stanza)"
                        + " SELECT domain, username, ?, ?, ?, ?, ? FROM accounts a WHERE domain = ? AND username = ?"
                        + (skipArchived ? " AND NOT EXISTS (SELECT 1 FROM mam_messages m WHERE m.domain = a.domain"
                        + " AND m.username = a.username AND m.stanza_id = ?)" : ""))) {
            for (ArchiveRecord record : batch) {
                ArchivedMessage message = record.message();
                insert.setString(1, message.id());
                insert.setLong(2, message.stamp().toEpochMilli());
                insert.setString(3, record.with().asBareJid().toString());
                insert.setString(4, record.with().toString());
                insert.setString(5, message.stanzaXml());
                insert.setString(6, record.owner().getDomain().toString());
                insert.setString(7, record.owner().getLocalpart().toString());
                if (skipArchived) {
                    insert.setString(8, message.id());
                }
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            List<Boolean> archived = new ArrayList<>(counts.length);
            for (int count : counts) {
                // SUCCESS_NO_INFO (a driver that rewrites the batch) counts as archived.
                archived.add(count != 0);
            }
            return archived;
        }
    }
}
