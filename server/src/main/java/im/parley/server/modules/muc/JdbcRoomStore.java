package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.modules.muc.RoomConfig.PrivateMessages;
import im.parley.server.modules.muc.RoomConfig.Whois;
import im.parley.server.storage.SqlTransactions;
import im.parley.server.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The persistent rooms of one MUC service on the module's tables ({@code db/muc}; H2 and
 * PostgreSQL). Blocking: call on the blocking executor.
 */
final class JdbcRoomStore {

    /** What a persistent room keeps across restarts. */
    record StoredRoom(RoomConfig config, Map<EntityBareJid, Affiliation> affiliations,
                      Map<EntityBareJid, String> registeredNicks, RoomSubject subject, String vcard,
                      Map<EntityBareJid, String> pendingRegistrations) {
    }

    /** A public room for the service's disco#items (XEP-0045 §6.3). */
    record Listed(EntityBareJid room, String name) {
    }

    private static final String COLUMNS = "name, description, public_room, members_only, moderated, password, whois, "
            + "max_users, change_subject, allow_invites, history_length, broadcast, allow_pm, subject, subject_nick, archiving, vcard, subject_stamp";

    private final SqlTransactions tx;
    private final String service;

    JdbcRoomStore(DataSource database, DomainBareJid service) {
        this.tx = new SqlTransactions(database);
        this.service = service.toString();
    }

    Optional<StoredRoom> load(EntityBareJid room) {
        return tx.run("load the room " + room, connection -> {
            StoredRoom stored;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM muc_rooms WHERE service = ? AND room = ?")) {
                select.setString(1, service);
                select.setString(2, room.getLocalpart().toString());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    stored = new StoredRoom(config(rows), new HashMap<>(), new HashMap<>(), subject(rows),
                            rows.getString(17), new LinkedHashMap<>());
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT jid, affiliation, nick FROM muc_affiliations WHERE service = ? AND room = ?")) {
                select.setString(1, service);
                select.setString(2, room.getLocalpart().toString());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        EntityBareJid user = jid(rows.getString(1));
                        stored.affiliations().put(user, Affiliation.parse(rows.getString(2)));
                        if (rows.getString(3) != null) {
                            stored.registeredNicks().put(user, rows.getString(3));
                        }
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT jid, nick FROM "
                    + "muc_registration_requests WHERE service = ? AND room = ?")) {
                select.setString(1, service);
                select.setString(2, room.getLocalpart().toString());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stored.pendingRegistrations().put(jid(rows.getString(1)), rows.getString(2));
                    }
                }
            }
            return Optional.of(stored);
        });
    }

    /** The subject of the row (a room stored before subjects had a time has none: no {@code <delay/>}). */
    private static RoomSubject subject(ResultSet rows) throws SQLException {
        long stamp = rows.getLong(18);
        return new RoomSubject(rows.getString(14), rows.getString(15),
                rows.wasNull() ? null : Instant.ofEpochMilli(stamp));
    }

    /** Writes the room's whole state, replacing what was stored. */
    void save(EntityBareJid room, StoredRoom state) {
        tx.run("save the room " + room, connection -> {
            delete(connection, room);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO muc_rooms (service, room, "
                    + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                RoomConfig config = state.config();
                insert.setString(1, service);
                insert.setString(2, room.getLocalpart().toString());
                insert.setString(3, config.name());
                insert.setString(4, config.description());
                insert.setBoolean(5, config.publicRoom());
                insert.setBoolean(6, config.membersOnly());
                insert.setBoolean(7, config.moderated());
                insert.setString(8, config.password());
                insert.setString(9, config.whois().value());
                insert.setInt(10, config.maxUsers());
                insert.setBoolean(11, config.changeSubject());
                insert.setBoolean(12, config.allowInvites());
                insert.setInt(13, config.historyLength());
                insert.setString(14, config.broadcast().stream().map(Role::value).collect(Collectors.joining(" ")));
                insert.setString(15, config.allowPm().value());
                insert.setString(16, state.subject().text());
                insert.setString(17, state.subject().nick());
                insert.setBoolean(18, config.archiving());
                insert.setString(19, state.vcard());
                if (state.subject().stamp() == null) {
                    insert.setNull(20, Types.BIGINT);
                } else {
                    insert.setLong(20, state.subject().stamp().toEpochMilli());
                }
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO muc_affiliations (service, room, jid, affiliation, nick) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<EntityBareJid, Affiliation> entry : state.affiliations().entrySet()) {
                    insert.setString(1, service);
                    insert.setString(2, room.getLocalpart().toString());
                    insert.setString(3, entry.getKey().toString());
                    insert.setString(4, entry.getValue().value());
                    insert.setString(5, state.registeredNicks().get(entry.getKey()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO muc_registration_requests (service, room, jid, nick) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<EntityBareJid, String> entry : state.pendingRegistrations().entrySet()) {
                    insert.setString(1, service);
                    insert.setString(2, room.getLocalpart().toString());
                    insert.setString(3, entry.getKey().toString());
                    insert.setString(4, entry.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    void delete(EntityBareJid room) {
        tx.run("delete the room " + room, connection -> {
            delete(connection, room);
            return null;
        });
    }

    /**
     * The secret the service keys its occupant ids with (XEP-0421 §4), made on first use and kept,
     * so ids stay the same across restarts and on every node sharing the database.
     */
    String serviceSecret() {
        return tx.run("the secret of " + service, connection -> {
            Optional<String> stored = secret(connection);
            if (stored.isPresent()) {
                return stored.get();
            }
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO muc_services (service, secret) VALUES (?, ?)")) {
                insert.setString(1, service);
                insert.setString(2, java.util.HexFormat.of().formatHex(random));
                insert.executeUpdate();
            }
            return secret(connection).orElseThrow();
        });
    }

    private Optional<String> secret(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT secret FROM muc_services WHERE service = ?")) {
            select.setString(1, service);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** The public rooms, for discovery. */
    List<Listed> publicRooms() {
        return tx.run("list the rooms of " + service, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT room, name FROM muc_rooms WHERE service = ? AND public_room ORDER BY room")) {
                select.setString(1, service);
                List<Listed> rooms = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        rooms.add(new Listed(jid(rows.getString(1) + "@" + service), rows.getString(2)));
                    }
                }
                return rooms;
            }
        });
    }

    /** How many stored rooms {@code user} owns (issue 14 item 5: rooms per user). */
    int ownedBy(EntityBareJid user) {
        return tx.run("count the rooms of " + user, connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM muc_affiliations "
                    + "WHERE service = ? AND jid = ? AND affiliation = 'owner'")) {
                count.setString(1, service);
                count.setString(2, user.toString());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    private void delete(Connection connection, EntityBareJid room) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM muc_rooms WHERE service = ? AND room = ?")) {
            delete.setString(1, service);
            delete.setString(2, room.getLocalpart().toString());
            delete.executeUpdate();
        }
    }

    private static RoomConfig config(ResultSet rows) throws SQLException {
        Set<Role> broadcast = EnumSet.noneOf(Role.class);
        for (String role : rows.getString(12).split(" ")) {
            if (!role.isEmpty()) {
                broadcast.add(Role.parse(role));
            }
        }
        String password = rows.getString(6);
        return new RoomConfig(rows.getString(1), rows.getString(2), true, rows.getBoolean(3), rows.getBoolean(4),
                rows.getBoolean(5), password != null, password,
                "anyone".equals(rows.getString(7)) ? Whois.ANYONE : Whois.MODERATORS, rows.getInt(8),
                rows.getBoolean(9), rows.getBoolean(10), rows.getInt(11), broadcast,
                PrivateMessages.parse(rows.getString(13)), rows.getBoolean(16));
    }

    private static EntityBareJid jid(String text) {
        try {
            return Jids.parseEntityBare(text);
        } catch (JidMalformedException e) {
            throw new StorageException("stored room JID is not valid: " + e.getMessage(), e);
        }
    }
}
