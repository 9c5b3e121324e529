package im.parley.server.modules.muc;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ServerAdmins;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PeriodicTask;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.mam.MamModule;
import im.parley.server.modules.mam.ModuleArchive;
import im.parley.server.routing.RecipientLanes;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;

/**
 * Multi-User Chat (XEP-0045) on a component host of each hosted domain
 * ({@code conference.<domain>}): rooms, their occupants and their administration
 * ({@link MucService}), persistent rooms in the module's tables ({@link JdbcRoomStore}).
 */
public final class MucModule implements XmppModule {

    static final OptionSection SECTION = new OptionSection("muc", "Multi-User Chat (XEP-0045): a group chat "
            + "service on `<subdomain>.<domain>` for each hosted domain. See docs/muc.md.");
    public static final ModuleOption<String> SUBDOMAIN = SECTION.option("subdomain", ValueType.STRING, "conference",
            "The group chat service's domain is this label before each hosted domain: `conference.example.org`.");
    public static final ModuleOption<Integer> MAX_OCCUPANTS = SECTION.option("max_occupants", ValueType.POSITIVE, 1000,
            "Most occupants in one room (a room's `maxusers` may be lower); owners and admins still enter a full room.");
    public static final ModuleOption<Integer> HISTORY_LENGTH = SECTION.option("history_length",
            ValueType.integer(0, 10_000), 50,
            "Most messages a room keeps in memory for newcomers (a room's `maxhistoryfetch` may be lower).");
    public static final ModuleOption<Integer> ROOMS_PER_USER = SECTION.option("rooms_per_user", ValueType.POSITIVE, 50,
            "Most rooms one user may own at once; creating one more is a `resource-constraint` error.");
    public static final ModuleOption<Integer> MESSAGES_PER_MINUTE = SECTION.option("messages_per_minute",
            ValueType.POSITIVE, 120, "Most messages (groupchat and private) one occupant may send in a room per "
                    + "minute; more are refused with `policy-violation`.");

    public static final ModuleOption<Integer> VCARD_MAX_BYTES = SECTION.option("vcard_max_bytes",
            ValueType.integer(1024, 1_048_576), 65_536, "The largest vCard (XML, with its avatar) an owner may give a "
                    + "room (XEP-0153); a larger one is refused with `not-acceptable`.");

    public static final ModuleOption<Integer> REGISTRATION_REQUESTS = SECTION.option("registration_requests",
            ValueType.integer(1, 10_000), 100, "Most registrations one members-only room keeps waiting for its "
                    + "admins' approval (XEP-0045 §9.9); one more is refused with `resource-constraint`.");

    public static final ModuleOption<Duration> UNLOAD_AFTER = SECTION.option("unload_after", ValueType.DURATION,
            Duration.ofMinutes(15), "A persistent room without occupants that handles no stanza for this long "
                    + "leaves memory; the next stanza to it loads it again from the database.");

    private static final List<ModuleOption<?>> OPTIONS = List.of(SUBDOMAIN, MAX_OCCUPANTS, HISTORY_LENGTH,
            ROOMS_PER_USER, MESSAGES_PER_MINUTE, VCARD_MAX_BYTES, REGISTRATION_REQUESTS, UNLOAD_AFTER);
    /** How often idle rooms are looked for, at most (more often when {@link #UNLOAD_AFTER} is short). */
    private static final Duration MAX_UNLOAD_CHECK = Duration.ofMinutes(1);

    private MucService mucService;
    private ModuleContext context;

    @Override
    public String name() {
        return "muc";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return OPTIONS;
    }

    @Override
    public void load(ModuleContext context) {
        DomainBareJid service = context.componentDomain(SUBDOMAIN);
        ModuleContext serviceContext = context.addComponentHost(service);
        DataSource database = context.schema(this, "classpath:db/muc");
        JdbcRoomStore store = new JdbcRoomStore(database, service);
        RoomArchive archive = new RoomArchive(new ModuleArchive(database, "muc_messages",
                context.option(MamModule.MAX_PAGE_SIZE), context.blocking(), context.option(MamModule.WRITE_BATCH)),
                context.blocking());
        MucLimits limits = new MucLimits(context.option(MAX_OCCUPANTS), context.option(HISTORY_LENGTH),
                context.option(ROOMS_PER_USER), context.option(MESSAGES_PER_MINUTE), context.option(VCARD_MAX_BYTES),
                context.option(REGISTRATION_REQUESTS));
        // A room's stanzas go out on their recipients' lanes: a message to 500 occupants is routed
        // on every core, each occupant's copies still in the room's order (docs/benchmarks.md).
        RecipientLanes lanes = serviceContext.lanes();
        RoomServices services = new RoomServices(stanza -> lanes.execute(stanza.to(), () -> serviceContext.send(stanza)),
                context.clock(), limits,
                ServerAdmins.jids(context.option(ServerAdmins.ADMINS)), new OccupantIds(store.serviceSecret()));
        this.context = context;
        this.mucService = new MucService(serviceContext, store, archive, services);
        this.mucService.register();
        Gauge.builder("parley.muc.rooms.loaded", this.mucService, MucService::loadedRooms).tag("domain", service.toString())
                .description("Rooms of a MUC service in memory (idle persistent rooms are unloaded)")
                .register(context.metrics().registry());
        schedulePurge(context, service, archive);
        scheduleUnload(context, service);
    }

    /**
     * Idle persistent rooms leave memory ({@link #UNLOAD_AFTER}), checked on a thread of the
     * module's own; the unloading itself runs in each room's turn.
     */
    private void scheduleUnload(ModuleContext context, DomainBareJid domain) {
        Duration after = context.option(UNLOAD_AFTER);
        long period = Math.max(100, Math.min(after.toMillis() / 2, MAX_UNLOAD_CHECK.toMillis()));
        PeriodicTask.every(context, "muc-unload-" + domain, Duration.ofMillis(period), this::unloadIdle);
    }

    /** Unloads the rooms idle for longer than {@link #UNLOAD_AFTER}; returns how many were found idle. */
    int unloadIdle() {
        return mucService.unloadIdle(context.clock().instant().minus(context.option(UNLOAD_AFTER)));
    }

    /** The service's rooms in memory. */
    int loadedRooms() {
        return mucService.loadedRooms();
    }

    /** Rooms' archives keep messages as long as accounts' do ({@code mam.retention}), purged hourly. */
    private static void schedulePurge(ModuleContext context, DomainBareJid service, RoomArchive archive) {
        Duration retention = context.option(MamModule.RETENTION);
        PeriodicTask.every(context, "muc-archive-purge-" + service, Duration.ofHours(1),
                () -> archive.purge(service, context.clock().instant(), retention));
    }
}
