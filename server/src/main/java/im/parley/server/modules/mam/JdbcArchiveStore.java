package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.storage.SqlTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The archives on the module's own tables ({@code db/mam}; H2 and PostgreSQL; the preferences are
 * {@link JdbcArchivePrefsStore}'s). With the embedded database (H2) the archive itself is a
 * {@link RocksArchiveIndex}; {@code mam_messages} then holds only what an import wrote, moved into
 * the index at the next start ({@link RocksArchiveIndex#migrate}).
 * Results are ordered by (stamp, seq): the time a message was archived, then arrival order.
 * Blocking: call on the blocking executor.
 *
 * <p>Reads are {@link JdbcArchiveQueries}', inserts {@link JdbcArchiveWrites}'; this class holds
 * the table's setup, the single statements that change or delete what is archived, and the reads
 * of the move into the index.
 */
final class JdbcArchiveStore implements ArchiveIndex {

    /**
     * How many {@code seq} values the embedded database hands out before it records the next one
     * in the file. H2 records it with a write of every changed page, which at its default of 32
     * cost more than the rows themselves in a batch of hundreds (measured: half a batch's time).
     * A crash leaves a gap of at most this many values, which is harmless: seq only orders.
     */
    static final int EMBEDDED_SEQ_CACHE = 10_000;

    private final SqlTransactions tx;
    /** The table's name: {@code mam_messages}, or a table of the same shape another module keeps. */
    private final String tableName;
    private final boolean h2;
    private final JdbcArchiveQueries queries;
    private final JdbcArchiveWrites writes;

    JdbcArchiveStore(DataSource database) {
        this(database, "mam_messages");
    }

    /**
     * On {@code tableName}, a table with the columns and indexes (named after the table) of
     * {@code mam_messages}: a MUC room's archive has the room's service as {@code domain} and
     * its name as {@code username}.
     */
    JdbcArchiveStore(DataSource database, String tableName) {
        this.tx = new SqlTransactions(database);
        this.tableName = tableName;
        this.h2 = tx.run("look up the database product",
                connection -> "H2".equals(connection.getMetaData().getDatabaseProductName()));
        if (h2) {
            tx.run("tune the archive table", this::cacheSequence);
        }
        this.queries = new JdbcArchiveQueries(tx, tableName, h2);
        this.writes = new JdbcArchiveWrites(tx, tableName);
    }

    /** True on the embedded database engine (H2), which one process holds: never shared by a cluster. */
    boolean embedded() {
        return h2;
    }

    /**
     * H2 only: PostgreSQL caches sequence values per connection, so a cache there would let a
     * later batch, on another connection, take smaller values than an earlier one.
     */
    private Void cacheSequence(Connection connection) throws SQLException {
        try (Statement alter = connection.createStatement()) {
            alter.execute("ALTER TABLE " + tableName + " ALTER COLUMN seq SET CACHE " + EMBEDDED_SEQ_CACHE);
        }
        return null;
    }

    /** Archives a batch in archives that belong to no account ({@link JdbcArchiveWrites#appendAllUnowned}). */
    List<Boolean> appendAllUnowned(List<ArchiveRecord> batch) {
        return writes.appendAllUnowned(batch);
    }

    /** The newest {@code limit} messages of {@code archive}, oldest first ({@link JdbcArchiveQueries#latest}). */
    @Override
    public List<ArchivedMessage> latest(EntityBareJid archive, int limit) {
        return queries.latest(archive, limit);
    }

    /** The stanza archived under {@code id}, if there is one ({@link JdbcArchiveQueries#stanza}). */
    @Override
    public Optional<String> stanza(EntityBareJid archive, String id) {
        return queries.stanza(archive, id);
    }

    /** Replaces the stanza archived under {@code id} (a moderated message's tombstone); false if none. */
    @Override
    public boolean replace(EntityBareJid archive, String id, String stanzaXml) {
        return tx.run("replace an archived message of " + archive, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + tableName
                    + " SET stanza = ? WHERE domain = ? AND username = ? AND stanza_id = ?")) {
                update.setString(1, stanzaXml);
                update.setString(2, archive.getDomain().toString());
                update.setString(3, archive.getLocalpart().toString());
                update.setString(4, id);
                return update.executeUpdate() > 0;
            }
        });
    }

    /** Deletes a whole archive that belongs to no account (a destroyed room's). */
    @Override
    public void delete(EntityBareJid archive) {
        tx.run("delete the archive of " + archive, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + tableName + " WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(delete, archive);
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** Archives a batch of messages in one transaction ({@link JdbcArchiveWrites#appendAll}). */
    @Override
    public List<Boolean> appendAll(List<ArchiveRecord> batch) {
        return writes.appendAll(batch);
    }

    /** The indexer's transaction ({@link JdbcArchiveWrites#index}). */
    @Override
    public void index(DomainBareJid domain, List<JournalRecord> journaled, long from, long position) {
        writes.index(domain, journaled, from, position);
    }

    /** The journal position of {@code domain} indexed so far (0 if none). */
    @Override
    public long indexedPosition(DomainBareJid domain) {
        return writes.indexedPosition(domain);
    }

    /** One page of {@code owner}'s archive ({@link JdbcArchiveQueries#query}). */
    @Override
    public ArchivePage query(EntityBareJid owner, ArchiveQuery query) {
        return queries.query(owner, query);
    }

    /** The oldest and newest message of {@code owner}'s archive (XEP-0313 §5), if it has any. */
    @Override
    public Optional<List<ArchivedMessage>> ends(EntityBareJid owner) {
        return queries.ends(owner);
    }

    /** The messages in every archive of {@code domain} (sampled for metrics). */
    @Override
    public long size(DomainBareJid domain) {
        return tx.countRows(tableName, domain);
    }

    /** Deletes the messages of {@code domain}'s archives archived before {@code cutoff}; returns how many. */
    @Override
    public int purge(DomainBareJid domain, Instant cutoff) {
        return tx.run("purge expired archived messages of " + domain, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + tableName + " WHERE domain = ? AND stamp < ?")) {
                delete.setString(1, domain.toString());
                delete.setLong(2, cutoff.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /** A row of {@code mam_messages} with its {@code seq}, as {@link #rowsAfter} reads them. */
    record Row(long seq, ArchiveRecord record) {
    }

    /**
     * Up to {@code limit} rows of the table, in arrival ({@code seq}) order, after {@code seq}:
     * for moving them into {@link RocksArchiveIndex}. A row whose JIDs are not valid is skipped.
     */
    List<Row> rowsAfter(long seq, int limit) {
        return tx.run("read archived messages to move from " + tableName, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT seq, domain, username, stanza_id, stamp, "
                    + "with_full, stanza FROM " + tableName + " WHERE seq > ? ORDER BY seq LIMIT " + limit)) {
                select.setLong(1, seq);
                List<Row> rows = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        try {
                            EntityBareJid owner = SqlTransactions.storedJid(result.getString(3), result.getString(2));
                            Jid with = Jids.parse(result.getString(6));
                            rows.add(new Row(result.getLong(1), new ArchiveRecord(owner, with, new ArchivedMessage(
                                    result.getString(4), Instant.ofEpochMilli(result.getLong(5)), result.getString(7)))));
                        } catch (JidMalformedException | RuntimeException e) {
                            rows.add(new Row(result.getLong(1), null));
                        }
                    }
                }
                return rows;
            }
        });
    }

    /** Deletes the rows up to {@code seq} (moved elsewhere); returns how many. */
    int deleteUpTo(long seq) {
        return tx.run("delete moved archived messages from " + tableName, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + tableName + " WHERE seq <= ?")) {
                delete.setLong(1, seq);
                return delete.executeUpdate();
            }
        });
    }
}
