package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.storage.SqlTransactions;
import im.parley.server.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 */
final class JdbcArchiveStore implements ArchiveIndex {

    private static final String COLUMNS = "stanza_id, stamp, stanza";
    /*
     * After or before a (stamp, seq) position. The first condition alone bounds the index range
     * (an OR of both, the obvious form, made H2 read the archive from its end: seconds per page
     * back through 100,000 messages); the second drops the rows of the position's own stamp that
     * are not past it.
     */
    private static final String AFTER = " AND stamp >= ? AND (stamp > ? OR seq > ?)";
    private static final String BEFORE = " AND stamp <= ? AND (stamp < ? OR seq < ?)";

    /**
     * How many {@code seq} values the embedded database hands out before it records the next one
     * in the file. H2 records it with a write of every changed page, which at its default of 32
     * cost more than the rows themselves in a batch of hundreds (measured: half a batch's time).
     * A crash leaves a gap of at most this many values, which is harmless: seq only orders.
     */
    static final int EMBEDDED_SEQ_CACHE = 10_000;

    /** The archive's indexes: by time, by conversation (bare {@code with}) and by stanza id. */
    private static final String BY_TIME = "_archive";
    private static final String BY_WITH = "_with";
    private static final String BY_ID = "_id";

    private final SqlTransactions tx;
    /** The table's name: {@code mam_messages}, or a table of the same shape another module keeps. */
    private final String tableName;
    private final boolean h2;

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
    }

    /**
     * The table as a read names it: on H2, with the one index that serves the read. H2 otherwise
     * serves {@code domain = ? AND username = ?} from another index that starts with those
     * columns (the foreign key's, or the stanza id's), which has no {@code stamp}: a page then read
     * and sorted the whole archive (100,000 rows: hundreds of ms, the newest page spilling its
     * sort to disk). PostgreSQL's planner chooses by itself.
     */
    private String from(String index) {
        return h2 ? tableName + " USE INDEX (" + tableName + index + ")" : tableName;
    }

    /** The index that serves a query: its ids, its conversation, or its time order. */
    private static String indexFor(ArchiveQuery query) {
        if (query != null && !query.ids().isEmpty()) {
            return BY_ID;
        }
        return query != null && query.with() != null && !query.with().hasResource() ? BY_WITH : BY_TIME;
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

    /** The newest {@code limit} messages of {@code archive}, oldest first. */
    @Override
    public List<ArchivedMessage> latest(EntityBareJid archive, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return tx.run("read the newest messages of " + archive, connection -> {
            List<ArchivedMessage> newest = select(connection, from(BY_TIME), new Where(archive), order(null, true), limit);
            Collections.reverse(newest);
            return newest;
        });
    }

    /** The stanza archived under {@code id}, if there is one. */
    @Override
    public Optional<String> stanza(EntityBareJid archive, String id) {
        return tx.run("read an archived message of " + archive, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT stanza FROM " + from(BY_ID) + " WHERE domain = ? AND username = ? AND stanza_id = ?")) {
                SqlTransactions.bindOwner(select, archive);
                select.setString(3, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
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

    /**
     * Archives a batch of messages in one transaction ({@link ArchiveWriter}): for each, true if
     * it was archived, false if its account does not exist.
     */
    @Override
    public List<Boolean> appendAll(List<ArchiveRecord> batch) {
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
    @Override
    public void index(DomainBareJid domain, List<JournalRecord> journaled, long from, long position) {
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
    @Override
    public long indexedPosition(DomainBareJid domain) {
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

    /** One page of {@code owner}'s archive. */
    @Override
    public ArchivePage query(EntityBareJid owner, ArchiveQuery query) {
        return tx.run("query the archive of " + owner, connection -> {
            Where where = filters(connection, owner, query);
            String from = from(indexFor(query));
            int count = count(connection, from, where);
            if (query.max() == 0) {
                return new ArchivePage(List.of(), count, count == 0);
            }
            Where page = where.copy();
            String cursor = query.backwards() ? query.before() : query.after();
            if (cursor != null && !cursor.isEmpty()) {
                page.position(query.backwards() ? BEFORE : AFTER, resolve(connection, owner, cursor));
            }
            List<ArchivedMessage> rows = select(connection, from, page, order(query, query.backwards()),
                    query.max() + 1);
            boolean complete = rows.size() <= query.max();
            List<ArchivedMessage> items = new ArrayList<>(rows.subList(0, Math.min(rows.size(), query.max())));
            if (query.backwards()) {
                Collections.reverse(items);
            }
            return new ArchivePage(items, count, complete);
        });
    }

    /** The oldest and newest message of {@code owner}'s archive (XEP-0313 §5), if it has any. */
    @Override
    public Optional<List<ArchivedMessage>> ends(EntityBareJid owner) {
        return tx.run("read the archive metadata of " + owner, connection -> {
            Where all = new Where(owner);
            String byTime = from(BY_TIME);
            List<ArchivedMessage> first = select(connection, byTime, all, order(null, false), 1);
            if (first.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(List.of(first.get(0), select(connection, byTime, all, order(null, true), 1).get(0)));
        });
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

    /** The form's filters (XEP-0313 §4.1) as conditions; ids it names must be in the archive. */
    private Where filters(Connection connection, EntityBareJid owner, ArchiveQuery query) throws SQLException {
        Where where = new Where(owner);
        if (query.with() != null) {
            boolean bare = !query.with().hasResource();
            where.add(bare ? " AND with_bare = ?" : " AND with_full = ?", query.with().toString());
        }
        if (query.start() != null) {
            where.add(" AND stamp >= ?", query.start().toEpochMilli());
        }
        if (query.end() != null) {
            where.add(" AND stamp <= ?", query.end().toEpochMilli());
        }
        if (query.afterId() != null) {
            where.position(AFTER, resolve(connection, owner, query.afterId()));
        }
        if (query.beforeId() != null) {
            where.position(BEFORE, resolve(connection, owner, query.beforeId()));
        }
        if (!query.ids().isEmpty()) {
            for (String id : query.ids()) {
                resolve(connection, owner, id);
            }
            where.add(" AND stanza_id IN (" + String.join(", ", Collections.nCopies(query.ids().size(), "?")) + ")",
                    query.ids().toArray());
        }
        return where;
    }

    /** The (stamp, seq) position of an archived message. */
    private long[] resolve(Connection connection, EntityBareJid owner, String id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT stamp, seq FROM " + from(BY_ID) + " WHERE domain = ? AND username = ? AND stanza_id = ?")) {
            SqlTransactions.bindOwner(query, owner);
            query.setString(3, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new UnknownIdException(id);
                }
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }
    }

    /**
     * Archive order, named by the columns of the index that serves the query: a database reads
     * the page in index order, and stops after it, only when the ORDER BY names the index's
     * columns from the first (the leading ones are fixed by the WHERE, so the order is the same).
     */
    private static String order(ArchiveQuery query, boolean backwards) {
        String columns = query != null && query.with() != null && !query.with().hasResource()
                ? "domain, username, with_bare, stamp, seq" : "domain, username, stamp, seq";
        return " ORDER BY " + (backwards ? columns.replace(",", " DESC,") + " DESC" : columns);
    }

    private int count(Connection connection, String from, Where where) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM " + from + where.sql)) {
            where.bind(query);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private List<ArchivedMessage> select(Connection connection, String from, Where where, String order, int limit)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + from + where.sql + order + " LIMIT " + limit)) {
            where.bind(query);
            List<ArchivedMessage> messages = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(new ArchivedMessage(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                            rows.getString(3)));
                }
            }
            return messages;
        }
    }

    /** A WHERE clause on one archive and its parameters, built up condition by condition. */
    private static final class Where {
        private String sql;
        private final List<Object> parameters;

        Where(EntityBareJid owner) {
            this(" WHERE domain = ? AND username = ?",
                    List.of(owner.getDomain().toString(), owner.getLocalpart().toString()));
        }

        private Where(String sql, List<Object> parameters) {
            this.sql = sql;
            this.parameters = new ArrayList<>(parameters);
        }

        Where copy() {
            return new Where(sql, parameters);
        }

        void add(String condition, Object... values) {
            sql += condition;
            parameters.addAll(List.of(values));
        }

        /** A condition on the (stamp, seq) position: {@link #AFTER} or {@link #BEFORE}. */
        void position(String condition, long[] position) {
            add(condition, position[0], position[0], position[1]);
        }

        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof Long number) {
                    statement.setLong(i + 1, number);
                } else {
                    statement.setString(i + 1, (String) value);
                }
            }
        }
    }
}
