package im.parley.server.modules.mam;

import im.parley.core.routing.Stanza;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.metrics.SampledValue;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PeriodicTask;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.metrics.MetricsModule;
import im.parley.server.modules.roster.RosterEvents;
import im.parley.server.session.LocalSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message Archive Management (XEP-0313, {@code urn:xmpp:mam:2}): every account has an archive of
 * the messages it sends and receives, each with a stable id (XEP-0359), which its clients query
 * by time, contact and id, a page at a time (XEP-0059).
 *
 * <p>Inbound messages are archived at {@link EventPriority#STAMP} on the recipient's host, after
 * the filters (a blocked message is not archived, §6.1) and before delivery and offline storage,
 * which both get the message with its {@code <stanza-id/>}: offline delivery does not fire these
 * events again, so a message stored offline is archived once. Outbound messages are archived in
 * the sender's archive as they leave ({@code pre-message/*}). A message gets its id and is
 * queued for the archive in its routing, and goes on without waiting for the write, which the
 * stanza's handling tracks: it counts as handled (XEP-0198 §4) only once archived, an account's
 * messages are archived in the order they were routed (RFC 6120 §10.1), and a query waits for
 * the writes queued before it (see {@link #archiveQueued}). Only while an account's preferences
 * need its roster read does the archiving wait in the stanza's turn. The writes are
 * group-committed ({@link ArchiveWriter}):
 * the messages of all accounts that wait for the archive share one write. On the embedded
 * database that write goes to the archive journal ({@link JournaledArchive}), a sequential file
 * write, and an indexer moves the journal into the database thousands of rows per transaction:
 * a transaction of H2 rewrites every page it changed, which per message (or per small batch)
 * cost the server several times what the message itself did (docs/benchmarks.md). Queries,
 * the purge and account deletion first index what the journal holds, so they see every
 * message acknowledged so far.
 */
public final class MamModule implements XmppModule {

    /** The protocol namespace (XEP-0313 §10). */
    public static final String NAMESPACE = "urn:xmpp:mam:2";
    /** Queries by id, flipped pages and metadata (XEP-0313 §7). */
    public static final String EXTENDED = "urn:xmpp:mam:2#extended";

    static final OptionSection SECTION = new OptionSection("mam", "Message Archive Management (XEP-0313).");
    public static final ModuleOption<Duration> RETENTION = SECTION.option("retention", ValueType.DURATION,
            Duration.ofDays(365), "How long archived messages (of accounts and of MUC rooms) are kept; older ones are purged every hour.");
    public static final ModuleOption<Integer> MAX_PAGE_SIZE = SECTION.option("max_page_size", ValueType.integer(1, 1000),
            100, "The most messages one query (of an account's or a MUC room's archive) returns; a larger RSM max is "
                    + "refused with policy-violation.");
    public static final ModuleOption<ArchiveMode> DEFAULT = SECTION.option("default", ValueType.oneOf(ArchiveMode.class),
            ArchiveMode.ALWAYS, "What is archived for accounts that set no preferences: always, never or roster.");
    public static final ModuleOption<Integer> WRITE_BATCH = SECTION.option("write_batch", ValueType.integer(1, 10_000),
            500, "The most messages written to the archive at once (group commit): one journal write, or one "
                    + "transaction without the journal.");

    public static final ModuleOption<Journal> JOURNAL = SECTION.option("journal", ValueType.oneOf(Journal.class),
            Journal.AUTO, "Where a message is archived before it counts as handled: `on`, an append-only journal in "
                    + "`data_dir/mam-journal/<domain>`, moved into the database thousands of messages per transaction; "
                    + "`off`, straight into the database; `auto`, the journal on the embedded database, straight into "
                    + "any other (PostgreSQL, which a cluster shares).");
    public static final ModuleOption<Boolean> JOURNAL_FSYNC = SECTION.option("journal_fsync", ValueType.BOOLEAN, false,
            "Force every write of the archive journal to disk (fsync) before its messages count as handled: they "
                    + "then survive a power loss too, not only a crash of the server, at the cost of an fsync per write.");
    public static final ModuleOption<Integer> INDEX_BATCH = SECTION.option("index_batch", ValueType.integer(1, 100_000),
            5000, "The most journaled messages moved into the database in one transaction.");
    public static final ModuleOption<Duration> INDEX_DELAY = SECTION.option("index_delay", ValueType.DURATION,
            Duration.ofMillis(250), "How often journaled messages are moved into the database while fewer than "
                    + "`mam.index_batch` wait (a query does not wait for it: it moves what it needs first).");

    /** Values of {@link #JOURNAL}. */
    public enum Journal {
        /** The journal on the embedded database (H2), not on an external one. */
        AUTO,
        ON,
        OFF
    }

    private static final Logger LOG = LoggerFactory.getLogger(MamModule.class);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /**
     * How long the journal's writer waits after each write for more ({@link ArchiveWriter}): at
     * most this much later is a sender's stanza acknowledged (XEP-0198); no delivery waits for it.
     * Each wait costs the writer's thread a sleep and a wake-up: at 0.5 ms those were about half
     * of the blocking pool's CPU at 8,000 messages a second, at 2 ms a quarter as many
     * (docs/benchmarks.md, "The journal's writer waits 2 ms").
     */
    static final Duration JOURNAL_LINGER = Duration.ofMillis(2);

    private ModuleContext context;
    /** The archive's table: the archive on PostgreSQL; with the embedded database, what an import wrote. */
    private JdbcArchiveStore store;
    /** The archive: {@link RocksArchiveIndex} with the embedded database, else {@link #store}. */
    private ArchiveIndex index;
    private ArchiveWriter writer;
    /** A new message's stanza id (XEP-0359) from its stamp (epoch ms): its position in the RocksDB index, or random. */
    private LongFunction<String> newId = stamp -> StanzaIds.next();
    private ArchivePreferences preferences;
    /** The stored XML of each copy; a local message's two copies written once ({@link ArchivedXml}). */
    private final ArchivedXml xml = new ArchivedXml();
    /** Makes the store hold every message archived so far (blocking): the journal's catch-up, if it has one. */
    private Runnable settle = () -> {
    };

    @Override
    public String name() {
        return "mam";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("roster");
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(RETENTION, MAX_PAGE_SIZE, DEFAULT, WRITE_BATCH, JOURNAL, JOURNAL_FSYNC, INDEX_BATCH, INDEX_DELAY);
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        DataSource schema = context.schema(this, "classpath:db/mam");
        this.store = new JdbcArchiveStore(schema);
        DomainBareJid domain = context.host().domain();
        ArchiveIndex archive = store;
        RocksArchiveIndex rocks = null;
        if (store.embedded() && RocksArchiveIndex.available(context.dataDir().resolve(RocksNativeLibrary.DIRECTORY))) {
            rocks = RocksArchiveIndex.open(context.dataDir().resolve(RocksArchiveIndex.DIRECTORY).resolve(domain.toString()),
                    domain, context.storage().accounts()::exists, context.option(JOURNAL_FSYNC));
            long moved = rocks.migrate(store);
            if (moved > 0) {
                LOG.info("moved {} archived messages of {} from the database into {}", moved, domain, RocksArchiveIndex.DIRECTORY);
            }
            archive = rocks;
            newId = rocks::newId;
        }
        this.index = archive;
        ArchiveWriter.BatchStore batches = archive::appendAll;
        JournaledArchive journal = null;
        if (journaled()) {
            journal = JournaledArchive.open(context.dataDir().resolve("mam-journal").resolve(domain.toString()),
                    domain, archive, context.option(JOURNAL_FSYNC), context.option(INDEX_BATCH), context.option(INDEX_DELAY),
                    rocks != null ? rocks::arrived : bytes -> { });
            batches = journal;
            settle = journal::catchUp;
        }
        context.onStop(closing(journal, rocks));
        if (journal != null || rocks != null) {
            // Without them the database's ON DELETE CASCADE takes the archive along.
            Runnable settleArchive = settle;
            RocksArchiveIndex deletedFrom = rocks;
            if (rocks == null) {
                // The journaled rows reach the table before the cascade deletes the account's rows.
                context.storage().accounts().beforeDelete(account -> {
                    if (account.getDomain().equals(domain)) {
                        settleArchive.run();
                    }
                });
            }
            // Once the deletion committed nothing more is archived for the account: what was until
            // then is indexed (or, in the table, dropped for want of its account) and the index's
            // rows deleted, so that a new account of the same name starts with an empty archive.
            context.storage().accounts().afterDelete(account -> {
                if (account.getDomain().equals(domain)) {
                    settleArchive.run();
                    if (deletedFrom != null) {
                        deletedFrom.delete(account);
                    }
                }
            });
        }
        // The journal's writes are cheap and frequent: its writer lingers after each, so that the
        // next takes what came meanwhile (what waits for it is the senders' acknowledgements).
        this.writer = new ArchiveWriter(batches, context.blocking(), context.option(WRITE_BATCH),
                journal == null ? Duration.ZERO : JOURNAL_LINGER);
        JdbcArchivePrefsStore prefs = new JdbcArchivePrefsStore(schema);
        this.preferences = new ArchivePreferences(prefs, prefs.allPrefs(context.host().domain()),
                context.storage().rosters(), context.option(DEFAULT), context.blocking());
        // §7: support is announced on the archiving JIDs, the accounts' bare JIDs.
        context.addAccountFeature(NAMESPACE);
        context.addAccountFeature(EXTENDED);
        context.addAccountFeature(StanzaIds.NAMESPACE);
        // And on the server, as Prosody's mod_mam does: profanity looks for the archive there only.
        context.addServerFeature(NAMESPACE);
        context.handleAccountIq(NAMESPACE, new ArchiveRequests(context, index, writer::flushed, settle, preferences,
                context.option(MAX_PAGE_SIZE)));
        context.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.STAMP, this::onInbound);
        context.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.STAMP, this::onInbound);
        for (var type : StanzaEvents.pre("message")) {
            context.hook(type, EventPriority.OBSERVE, this::onOutbound);
        }
        context.hook(RosterEvents.CHANGED, EventPriority.OBSERVE, change -> {
            preferences.rosterChanged(change.owner());
            return Verdict.PASS;
        });
        // Retention: expired messages are purged on a thread of their own, never an event loop.
        PeriodicTask.every(context, "mam-purge-" + context.host().domain(), PURGE_INTERVAL, this::purgeExpired);
        new SampledValue(() -> index.size(domain), context.blocking(), context.clock(),
                context.option(MetricsModule.SAMPLE_INTERVAL)).register(context.metrics().registry(),
                "parley.archive.messages", "Messages in the archives of a hosted domain (sampled)", domain);
    }

    /**
     * What stops the archive: the indexer first, which indexes what the journal holds, then the
     * index it writes to.
     */
    private static AutoCloseable closing(JournaledArchive journal, RocksArchiveIndex rocks) {
        return () -> {
            if (journal != null) {
                journal.close();
            }
            if (rocks != null) {
                rocks.close();
            }
        };
    }

    /** Whether {@link #JOURNAL} puts a journal before this store. */
    private boolean journaled() {
        return switch (context.option(JOURNAL)) {
            case ON -> true;
            case OFF -> false;
            // A node-local journal would hide messages from the other nodes of a cluster until
            // indexed, and an external database (PostgreSQL) does not rewrite pages per commit.
            case AUTO -> store.embedded();
        };
    }

    /**
     * A message for a local account: spoofed stanza ids removed (XEP-0359 §3.1); if the archive
     * keeps it, archived and passed on with its {@code <stanza-id/>} (XEP-0359 §3, XEP-0313 §4.2).
     * The event waits for the archive, in the stanza's turn.
     */
    private Verdict onInbound(StanzaEvent event) {
        Stanza message = event.stanza();
        EntityBareJid owner = message.to() == null ? null : message.to().asEntityBareJidIfPossible();
        if (owner == null) {
            return Verdict.PASS;
        }
        if (event.isRedelivery() && StanzaIds.carriesOneBy(message.element(), owner)) {
            // XEP-0198 §5: delivered once, archived then under this id, which is the archive's own.
            return Verdict.PASS;
        }
        Element clean = StanzaIds.withoutSpoofed(message.element(), owner);
        Stanza current = clean == message.element() ? message : new Stanza(clean, message.from(), message.to());
        event.replace(current);
        if (current.from() == null || !ArchivePolicy.shouldArchive(clean)) {
            return Verdict.PASS;
        }
        CompletableFuture<Boolean> keep = preferences.archives(owner, current.from());
        if (decided(keep)) {
            // Stamped and queued for the archive now, passed on without waiting for the write.
            if (keep.join()) {
                event.replace(archiveQueued(owner, current, current.from(), true, event));
            }
            return Verdict.PASS;
        }
        return Verdict.suspend(continuation -> event.work().defer(() -> archive(owner, current, current.from(), true)
                .handle((stamped, failure) -> {
                    if (failure != null) {
                        LOG.warn("cannot archive a message for {}", owner, failure);
                    } else if (stamped != null) {
                        event.replace(stamped);
                    }
                    continuation.resume(Verdict.PASS);
                    return null;
                })));
    }

    /**
     * A message a local client sends, archived in its account's archive as it leaves. A message
     * to the account itself is archived once, as it arrives (XEP-0313 §6.1.1).
     */
    private Verdict onOutbound(StanzaEvent event) {
        LocalSession origin = event.origin();
        Stanza message = event.stanza();
        if (origin == null || message.to() == null || !ArchivePolicy.shouldArchive(message.element())) {
            return Verdict.PASS;
        }
        EntityBareJid owner = origin.jid().asEntityBareJid();
        if (owner.equals(message.to().asBareJid())) {
            return Verdict.PASS;
        }
        CompletableFuture<Boolean> keep = preferences.archives(owner, message.to());
        if (decided(keep)) {
            if (keep.join()) {
                archiveQueued(owner, message, message.to(), false, event);
            }
            return Verdict.PASS;
        }
        event.work().defer(() -> archive(owner, message, message.to(), false)
                .exceptionally(failure -> {
                    LOG.warn("cannot archive a message of {}", owner, failure);
                    return null;
                }));
        return Verdict.PASS;
    }

    /** True if the preferences answered at once, as they do unless a roster is being read. */
    private static boolean decided(CompletableFuture<Boolean> keep) {
        return keep.isDone() && !keep.isCompletedExceptionally();
    }

    /**
     * Archives {@code message} for {@code owner} if its preferences keep messages with
     * {@code with}. Completes, once the message is committed, with the message with its stanza
     * id, or null if it was not archived. Never blocks.
     */
    private CompletableFuture<Stanza> archive(EntityBareJid owner, Stanza message, Jid with, boolean stamp) {
        return preferences.archives(owner, with).thenCompose(keep -> {
            if (!keep) {
                return CompletableFuture.completedFuture(null);
            }
            Appended appended = append(owner, message, with, stamp);
            return appended.written().thenApply(archived -> {
                if (!archived) {
                    preferences.forget(owner);
                    return null;
                }
                return appended.stanza();
            });
        });
    }

    /**
     * Queues {@code message} for {@code owner}'s archive and returns it as archived (with its
     * {@code <stanza-id/>} if {@code stamp}) at once, without waiting for the write: the write is
     * tracked in the stanza's handling (XEP-0198 §4: the sender's stanza counts as handled only
     * once archived), not in the account's turn, so the account's next stanzas and this one's
     * delivery do not wait for it. The order of the account's messages in its archive is the
     * order they were queued ({@link ArchiveWriter}: RFC 6120 §10.1), and a query of the archive
     * first waits for what was queued before it ({@link ArchiveWriter#flushed}), so a client
     * never finds a message it received missing from its archive. Waiting in the turn for every
     * write held each archived message's delivery behind the group commit, and the account's
     * later stanzas behind it on the writer's thread (docs/benchmarks.md, "Archived without
     * holding the turn").
     */
    private Stanza archiveQueued(EntityBareJid owner, Stanza message, Jid with, boolean stamp, StanzaEvent event) {
        Appended appended = append(owner, message, with, stamp);
        event.handling().track(appended.written().handle((archived, failure) -> {
            if (failure != null) {
                LOG.warn("cannot archive a message of {}", owner, failure);
            } else if (!archived) {
                preferences.forget(owner);
            }
            return null;
        }));
        return appended.stanza();
    }

    /** Gives {@code message} its id and queues it for {@code owner}'s archive. */
    private Appended append(EntityBareJid owner, Stanza message, Jid with, boolean stamp) {
        Instant stampedAt = context.clock().instant();
        String id = newId.apply(stampedAt.toEpochMilli());
        Element stored = stamp ? StanzaIds.stamped(message.element(), id, owner) : message.element();
        byte[] utf8 = stamp ? xml.received(message.element(), stored, id, owner) : xml.sent(stored);
        CompletableFuture<Boolean> written = writer.append(owner, ArchivedMessage.ofUtf8(id, stampedAt, utf8), with);
        return new Appended(stored == message.element() ? message : new Stanza(stored, message.from(), message.to()),
                written);
    }

    /** A message queued for an archive, as archived, and its write. */
    private record Appended(Stanza stanza, CompletableFuture<Boolean> written) {
    }

    /** Deletes this host's archived messages older than {@link #RETENTION}. Blocking. */
    int purgeExpired() {
        try {
            settle.run();
            return index.purge(context.host().domain(), context.clock().instant().minus(context.option(RETENTION)));
        } catch (RuntimeException e) {
            LOG.warn("cannot purge expired archived messages", e);
            return 0;
        }
    }
}
