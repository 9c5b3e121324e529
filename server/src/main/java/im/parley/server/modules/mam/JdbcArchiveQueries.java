package im.parley.server.modules.mam;

import im.parley.server.modules.mam.ArchiveIndex.UnknownIdException;
import im.parley.server.storage.SqlTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * The reads of a {@link JdbcArchiveStore}: archive queries (XEP-0313 §4, the form's filters §4.1,
 * paged with RSM, XEP-0059 §2), an archive's first and last messages (XEP-0313 §5), its newest
 * messages, and a stanza by its id (XEP-0359). Apart from the writes because a read's cost is in
 * the SQL it builds: which index serves it, and an ORDER BY that lets the database stop after the
 * page. Results are ordered by (stamp, seq). Blocking: call on the blocking executor.
 */
final class JdbcArchiveQueries {

    private static final String COLUMNS = "stanza_id, stamp, stanza";
    /*
     * After or before a (stamp, seq) position. The first condition alone bounds the index range
     * (an OR of both, the obvious form, made H2 read the archive from its end: seconds per page
     * back through 100,000 messages); the second drops the rows of the position's own stamp that
     * are not past it.
     */
    private static final String AFTER = " AND stamp >= ? AND (stamp > ? OR seq > ?)";
    private static final String BEFORE = " AND stamp <= ? AND (stamp < ? OR seq < ?)";

    /** The archive's indexes: by time, by conversation (bare {@code with}) and by stanza id. */
    private static final String BY_TIME = "_archive";
    private static final String BY_WITH = "_with";
    private static final String BY_ID = "_id";

    private final SqlTransactions tx;
    /** The table's name: {@code mam_messages}, or a table of the same shape another module keeps. */
    private final String tableName;
    private final boolean h2;

    JdbcArchiveQueries(SqlTransactions tx, String tableName, boolean h2) {
        this.tx = tx;
        this.tableName = tableName;
        this.h2 = h2;
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

    /** The newest {@code limit} messages of {@code archive}, oldest first. */
    List<ArchivedMessage> latest(EntityBareJid archive, int limit) {
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
    Optional<String> stanza(EntityBareJid archive, String id) {
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

    /** One page of {@code owner}'s archive. */
    ArchivePage query(EntityBareJid owner, ArchiveQuery query) {
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
    Optional<List<ArchivedMessage>> ends(EntityBareJid owner) {
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
