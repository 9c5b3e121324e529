package im.parley.server.modules.upload;

import im.parley.server.storage.SqlTransactions;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;

/**
 * The slots of one upload service (table {@code upload_files}): given, claimed by a PUT, stored,
 * expired. A slot's token is 192 random bits, URL-safe Base64: the secret that names the file
 * (XEP-0363 §8: "long randomized parts in their URLs"). Blocking: call on the blocking executor.
 */
final class Slots {

    /** A slot's state (the {@code state} column). */
    enum State {
        PENDING, UPLOADING, STORED;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One slot as stored. */
    record Slot(String token, String filename, String contentType, long size, State state, Instant created) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SqlTransactions tx;
    private final String service;

    Slots(DataSource database, String service) {
        this.tx = new SqlTransactions(database);
        this.service = service;
    }

    static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Gives {@code owner} a slot if its files, and the slots it has not used yet, leave room for
     * {@code size} bytes within {@code quota}; returns the bytes in use when they do not.
     *
     * @param pendingSince slots given before this and still unused do not count any more
     * @param storedSince files stored before this have expired and do not count
     */
    Optional<Long> give(EntityBareJid owner, Slot slot, long quota, Instant pendingSince, Instant storedSince) {
        return tx.run("give an upload slot to " + owner, connection -> {
            long used;
            try (PreparedStatement sum = connection.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM upload_files"
                    + " WHERE domain = ? AND username = ? AND (state = 'uploading' OR (state = 'pending' AND created >= ?)"
                    + " OR (state = 'stored' AND created >= ?))")) {
                SqlTransactions.bindOwner(sum, owner);
                sum.setLong(3, pendingSince.toEpochMilli());
                sum.setLong(4, storedSince.toEpochMilli());
                try (ResultSet rows = sum.executeQuery()) {
                    rows.next();
                    used = rows.getLong(1);
                }
            }
            if (used + slot.size() > quota) {
                return Optional.of(used);
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO upload_files (token, service,"
                    + " domain, username, filename, content_type, size, state, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, slot.token());
                insert.setString(2, service);
                insert.setString(3, owner.getDomain().toString());
                insert.setString(4, owner.getLocalpart().toString());
                insert.setString(5, slot.filename());
                insert.setString(6, slot.contentType());
                insert.setLong(7, slot.size());
                insert.setString(8, State.PENDING.column());
                insert.setLong(9, slot.created().toEpochMilli());
                insert.executeUpdate();
            }
            return Optional.empty();
        });
    }

    /** When the oldest of {@code owner}'s stored files was stored, if it has any. */
    Optional<Instant> oldestStored(EntityBareJid owner, Instant storedSince) {
        return tx.run("find the oldest upload of " + owner, connection -> {
            try (PreparedStatement min = connection.prepareStatement("SELECT MIN(created) FROM upload_files"
                    + " WHERE domain = ? AND username = ? AND state = 'stored' AND created >= ?")) {
                SqlTransactions.bindOwner(min, owner);
                min.setLong(3, storedSince.toEpochMilli());
                try (ResultSet rows = min.executeQuery()) {
                    rows.next();
                    long oldest = rows.getLong(1);
                    return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest));
                }
            }
        });
    }

    /** The slot named by {@code token} on this service, in whatever state. */
    Optional<Slot> find(String token) {
        return tx.run("find an upload slot", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT filename, content_type, size, state,"
                    + " created FROM upload_files WHERE token = ? AND service = ?")) {
                select.setString(1, token);
                select.setString(2, service);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Slot(token, rows.getString(1), rows.getString(2), rows.getLong(3),
                            State.valueOf(rows.getString(4).toUpperCase(Locale.ROOT)),
                            Instant.ofEpochMilli(rows.getLong(5))));
                }
            }
        });
    }

    /**
     * Claims a pending slot for its one upload; a slot that named no media type takes the
     * upload's ({@code contentType}, may be null). False if the slot was not pending any more.
     */
    boolean claim(String token, String contentType) {
        return tx.run("claim an upload slot", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE upload_files SET state = 'uploading',"
                    + " content_type = COALESCE(content_type, ?) WHERE token = ? AND service = ? AND state = 'pending'")) {
                update.setString(1, contentType);
                update.setString(2, token);
                update.setString(3, service);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Moves a slot from {@code from} to {@code to}; false if it was not in {@code from} (someone else moved it, or it is gone). */
    boolean move(String token, State from, State to) {
        return tx.run("update an upload slot", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE upload_files SET state = ? WHERE token = ? AND service = ? AND state = ?")) {
                update.setString(1, to.column());
                update.setString(2, token);
                update.setString(3, service);
                update.setString(4, from.column());
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Forgets a slot. */
    void remove(String token) {
        tx.run("remove an upload slot", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM upload_files WHERE token = ? AND service = ?")) {
                delete.setString(1, token);
                delete.setString(2, service);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Forgets the slots given before {@code pendingSince} and never used, the files stored before
     * {@code storedSince}, and uploads started before that and never finished; returns the tokens
     * whose files are to go.
     */
    List<String> expire(Instant pendingSince, Instant storedSince) {
        return tx.run("expire uploads", connection -> {
            List<String> tokens = new ArrayList<>();
            String where = " WHERE service = ? AND ((state = 'pending' AND created < ?) OR (state <> 'pending' AND created < ?))";
            // The rows read are locked and deleted by token, so exactly the slots whose files go
            // are forgotten: a slot whose upload starts between a read and a delete by the same
            // condition would have had its file removed while its row stayed, or the reverse.
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT token FROM upload_files" + where + " FOR UPDATE")) {
                bindExpiry(select, pendingSince, storedSince);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tokens.add(rows.getString(1));
                    }
                }
            }
            if (!tokens.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM upload_files WHERE service = ? AND token = ?")) {
                    for (String token : tokens) {
                        delete.setString(1, service);
                        delete.setString(2, token);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            return tokens;
        });
    }

    /** Uploads no PUT can be in the middle of (the server just started): their slots are used up. */
    void dropUploading() {
        tx.run("drop unfinished uploads", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM upload_files WHERE service = ? AND state = 'uploading'")) {
                delete.setString(1, service);
                return delete.executeUpdate();
            }
        });
    }

    /** Every token of this service. */
    Set<String> tokens() {
        return tx.run("list upload tokens", connection -> {
            Set<String> tokens = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT token FROM upload_files WHERE service = ?")) {
                select.setString(1, service);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tokens.add(rows.getString(1));
                    }
                }
            }
            return tokens;
        });
    }

    private void bindExpiry(PreparedStatement statement, Instant pendingSince, Instant storedSince)
            throws SQLException {
        statement.setString(1, service);
        statement.setLong(2, pendingSince.toEpochMilli());
        statement.setLong(3, storedSince.toEpochMilli());
    }
}
