package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.ID;
import static im.parley.server.modules.mam.ArchiveKeys.POSITION;
import static im.parley.server.modules.mam.ArchiveKeys.ROW;
import static im.parley.server.modules.mam.ArchiveKeys.WITH;
import static im.parley.server.modules.mam.ArchiveKeys.fields;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.next;
import static im.parley.server.modules.mam.ArchiveKeys.owner;
import static im.parley.server.modules.mam.ArchiveKeys.position;
import static im.parley.server.modules.mam.ArchiveKeys.utf8;

import im.parley.server.modules.mam.ArchiveIndex.UnknownIdException;
import im.parley.server.modules.mam.ArchiveKeys.Range;
import im.parley.server.storage.StorageException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The reading side of {@link RocksArchiveIndex}: archive queries (XEP-0313 §4, with RSM paging,
 * XEP-0059), an archive's first and last messages, a message by id, and the keys' values. Reads
 * take no lock: RocksDB reads see a consistent state of each key; {@link RocksArchiveIndex} keeps
 * the database open while they run.
 */
final class RocksArchiveReads {

    /** The most keys a filtered query's count walks (~3 ms of keys; a full JID's reads rows, ~10 ms). */
    static final int COUNT_LIMIT = 10_000;

    private final RocksDB db;
    private final RocksArchiveStanzas stanzas;
    private final DomainBareJid domain;
    private final ArchiveCounts counts;
    private final PositionIds ids;

    RocksArchiveReads(RocksDB db, RocksArchiveStanzas stanzas, DomainBareJid domain, ArchiveCounts counts,
                      PositionIds ids) {
        this.db = db;
        this.stanzas = stanzas;
        this.domain = domain;
        this.counts = counts;
        this.ids = ids;
    }

    /** {@link ArchiveIndex#query}: the page, its count (exact, or a lower bound past {@value #COUNT_LIMIT}) and whether it is the last. */
    ArchivePage query(EntityBareJid owner, ArchiveQuery query) {
        Range range = filters(owner, query);
        if (!query.ids().isEmpty()) {
            return byIds(owner, query, range);
        }
        boolean byWith = query.with() != null && !query.with().hasResource();
        String fullWith = query.with() != null && query.with().hasResource() ? query.with().toString() : null;
        byte[] prefix = byWith ? key(WITH, owner(owner), utf8(query.with().toString()), new byte[] {0}) : key(ROW, owner(owner));
        boolean counted = (query.with() == null || byWith) && query.start() == null && query.end() == null
                && query.afterId() == null && query.beforeId() == null;
        int count = counted ? (int) Math.min(Integer.MAX_VALUE, counts.count(prefix)) : count(owner, prefix, range, fullWith);
        if (query.max() == 0) {
            return new ArchivePage(List.of(), count, count == 0);
        }
        Range page = cursor(owner, query, range);
        List<ArchivedMessage> rows = scan(owner, prefix, page, fullWith, query.backwards(), query.max() + 1);
        boolean complete = rows.size() <= query.max();
        List<ArchivedMessage> items = new ArrayList<>(rows.subList(0, Math.min(rows.size(), query.max())));
        if (query.backwards()) {
            Collections.reverse(items);
        }
        return new ArchivePage(items, count, complete);
    }

    /** The extended {@code ids} query: each id must be in the archive; the other filters apply to them. */
    private ArchivePage byIds(EntityBareJid owner, ArchiveQuery query, Range range) {
        List<byte[]> positions = new ArrayList<>();
        for (String id : new LinkedHashSet<>(query.ids())) {
            positions.add(resolve(owner, id));
        }
        positions.sort(Arrays::compareUnsigned);
        List<byte[]> matches = new ArrayList<>();
        for (byte[] position : positions) {
            if (range.contains(position) && matchesWith(owner, position, query)) {
                matches.add(position);
            }
        }
        int count = matches.size();
        if (query.max() == 0) {
            return new ArchivePage(List.of(), count, count == 0);
        }
        Range page = cursor(owner, query, range);
        List<byte[]> inPage = matches.stream().filter(page::contains).toList();
        List<byte[]> chosen = query.backwards()
                ? inPage.subList(Math.max(0, inPage.size() - query.max()), inPage.size())
                : inPage.subList(0, Math.min(inPage.size(), query.max()));
        Rows rows = new Rows(owner(owner));
        for (byte[] position : chosen) {
            rows.add(position, fields(read(key(ROW, owner(owner), position))));
        }
        return new ArchivePage(rows.messages(), count, inPage.size() <= query.max());
    }

    private boolean matchesWith(EntityBareJid owner, byte[] position, ArchiveQuery query) {
        if (query.with() == null) {
            return true;
        }
        String[] fields = fields(read(key(ROW, owner(owner), position)));
        if (query.with().hasResource()) {
            return fields[1].equals(query.with().toString());
        }
        return bare(fields[1]).equals(query.with().toString());
    }

    /** The form's time and id bounds (§4.1.2, extended after-id/before-id): lower inclusive, upper exclusive. */
    private Range filters(EntityBareJid owner, ArchiveQuery query) {
        Range range = Range.ALL;
        if (query.start() != null) {
            range = range.from(position(query.start().toEpochMilli(), 0));
        }
        if (query.end() != null) {
            range = range.until(position(query.end().toEpochMilli(), Long.MAX_VALUE));
        }
        if (query.afterId() != null) {
            range = range.from(next(resolve(owner, query.afterId())));
        }
        if (query.beforeId() != null) {
            range = range.until(resolve(owner, query.beforeId()));
        }
        return range;
    }

    /** The RSM cursor (XEP-0059 §2.2, §2.5) narrowing the form's range. */
    private Range cursor(EntityBareJid owner, ArchiveQuery query, Range range) {
        String cursor = query.backwards() ? query.before() : query.after();
        if (cursor == null || cursor.isEmpty()) {
            return range;
        }
        byte[] position = resolve(owner, cursor);
        return query.backwards() ? range.until(position) : range.from(next(position));
    }

    private byte[] resolve(EntityBareJid owner, String id) {
        byte[] position = positionOf(owner, id);
        if (position == null) {
            throw new UnknownIdException(id);
        }
        return position;
    }

    /**
     * The position of the message {@code id} in {@code owner}'s archive, or null: an id that is a
     * position ({@link PositionIds}) if the row there has that very id, else the id's key.
     */
    byte[] positionOf(EntityBareJid owner, String id) {
        byte[] position = ids.position(id);
        if (position != null) {
            byte[] row = read(key(ROW, owner(owner), position));
            if (row != null && fields(row)[0].equals(id)) {
                return position;
            }
        }
        return read(key(ID, owner(owner), utf8(id)));
    }

    /**
     * Counts the matches of a query with time or id bounds, or a full JID, by walking the keys,
     * up to {@value #COUNT_LIMIT} of them: past it the count is the matches among those, a lower
     * bound, so that a page stays within the page latency target (issue 13; a full JID that one
     * message in ten matches walked 100,000 rows for its 10,000: 40 ms a page, bench/rocks/PageBench). XEP-0059 §2.7 allows it: the
     * count "MAY be approximate rather than precise if determining the exact number of items
     * would be resource-intensive". An archive's count and a conversation's come from their
     * checkpoints ({@link ArchiveCounts}).
     */
    private int count(EntityBareJid owner, byte[] prefix, Range range, String fullWith) {
        int count = 0;
        int walked = 0;
        try (BoundedKeys keys = BoundedKeys.of(db, prefix, range)) {
            RocksIterator rows = keys.iterator;
            for (rows.seekToFirst(); rows.isValid() && walked < COUNT_LIMIT; rows.next()) {
                walked++;
                if (fullWith == null || fields(rows.value())[1].equals(fullWith)) {
                    count++;
                }
            }
            keys.check();
        }
        return count;
    }

    /** Up to {@code limit} matches from the start of the range (or its end, backwards), in that order. */
    private List<ArchivedMessage> scan(EntityBareJid owner, byte[] prefix, Range range, String fullWith,
                                       boolean backwards, int limit) {
        boolean rowsKeys = prefix[0] == ROW;
        byte[] owned = owner(owner);
        Rows messages = new Rows(owned);
        try (BoundedKeys keys = BoundedKeys.of(db, prefix, range)) {
            RocksIterator rows = keys.iterator;
            for (seekToStart(rows, backwards); rows.isValid() && messages.size() < limit; step(rows, backwards)) {
                byte[] key = rows.key();
                byte[] position = Arrays.copyOfRange(key, key.length - POSITION, key.length);
                byte[] value = rowsKeys ? rows.value() : read(key(ROW, owned, position));
                String[] row = value == null ? null : fields(value);
                if (row == null || fullWith != null && !row[1].equals(fullWith)) {
                    continue;
                }
                messages.add(position, row);
            }
            keys.check();
        }
        return messages.messages();
    }

    /**
     * The rows of a page, in its order, whose stanzas are then read all at once: those kept in
     * their own family ({@link RocksArchiveStanzas}) with one {@code multiGet}, which reads each
     * block once and those of neighbouring messages together.
     */
    private final class Rows {
        private final byte[] owned;
        private final List<byte[]> positions = new ArrayList<>();
        private final List<String[]> fields = new ArrayList<>();

        Rows(byte[] owned) {
            this.owned = owned;
        }

        /** A row, its value decoded ({@link ArchiveKeys#fields}). */
        void add(byte[] position, String[] row) {
            positions.add(position);
            fields.add(row);
        }

        int size() {
            return positions.size();
        }

        List<ArchivedMessage> messages() {
            List<byte[]> apart = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                if (!RocksArchiveStanzas.inRow(fields.get(i))) {
                    apart.add(positions.get(i));
                }
            }
            List<String> read = stanzas.readAll(apart, owned);
            List<ArchivedMessage> messages = new ArrayList<>(positions.size());
            int next = 0;
            for (int i = 0; i < positions.size(); i++) {
                String[] row = fields.get(i);
                String stanza = RocksArchiveStanzas.inRow(row) ? row[2] : read.get(next++);
                if (stanza == null) {
                    continue; // deleted since its row was read
                }
                messages.add(new ArchivedMessage(row[0],
                        Instant.ofEpochMilli(ByteBuffer.wrap(positions.get(i)).getLong()), stanza));
            }
            return messages;
        }
    }

    private static void seekToStart(RocksIterator rows, boolean backwards) {
        if (backwards) {
            rows.seekToLast();
        } else {
            rows.seekToFirst();
        }
    }

    private static void step(RocksIterator rows, boolean backwards) {
        if (backwards) {
            rows.prev();
        } else {
            rows.next();
        }
    }

    /** {@link ArchiveIndex#ends}. */
    Optional<List<ArchivedMessage>> ends(EntityBareJid owner) {
        List<ArchivedMessage> first = scan(owner, key(ROW, owner(owner)), Range.ALL, null, false, 1);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(List.of(first.get(0), scan(owner, key(ROW, owner(owner)), Range.ALL, null, true, 1).get(0)));
    }

    /** {@link ArchiveIndex#latest}. */
    List<ArchivedMessage> latest(EntityBareJid archive, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<ArchivedMessage> newest = scan(archive, key(ROW, owner(archive)), Range.ALL, null, true, limit);
        Collections.reverse(newest);
        return newest;
    }

    /** {@link ArchiveIndex#stanza}. */
    Optional<String> stanza(EntityBareJid archive, String id) {
        byte[] position = positionOf(archive, id);
        byte[] row = position == null ? null : read(key(ROW, owner(archive), position));
        if (row == null) {
            return Optional.empty();
        }
        String[] fields = fields(row);
        return Optional.ofNullable(RocksArchiveStanzas.inRow(fields) ? fields[2] : stanzas.read(position, owner(archive)));
    }

    /** The value of {@code key}, or null. */
    byte[] read(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the archive index of " + domain, e);
        }
    }

    /** A long value (8 bytes, big-endian) of {@code key}; 0 if none. */
    long readLong(byte[] key) {
        return ArchiveKeys.longValue(read(key));
    }

    /** The bare JID of a full or bare one, as written: up to the first {@code /} (RFC 7622 §3.1). */
    static String bare(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }
}
