package im.parley.server.modules.proxy65;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/**
 * SOCKS5 Bytestreams proxy (XEP-0065 §6, mediated connection) for file transfer between clients
 * that cannot reach each other (behind NAT): a component host {@code proxy.<domain>} for each
 * hosted domain answers service discovery, gives its network address and activates streams
 * ({@link StreamhostRequests}); one SOCKS5 listener for the server pairs the two connections of a
 * stream ({@link Bytestreams}) and relays once the Requester activates it.
 *
 * <p>Off by default, as in Prosody: a relay that opens a public port and carries other people's
 * bytes is the operator's decision ({@code proxy65.enabled}); only local users may activate
 * streams unless {@code proxy65.allow_remote}.
 */
public final class Proxy65Module implements XmppModule {

    public static final String NAMESPACE = "http://jabber.org/protocol/bytestreams";

    static final OptionSection SECTION = new OptionSection("proxy65", "SOCKS5 Bytestreams proxy (XEP-0065) on "
            + "`<subdomain>.<domain>`, relaying file transfers between clients that cannot connect to each other.");
    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, false,
            "Run the proxy: its component hosts and its SOCKS5 listener (off: no port is opened).");
    public static final ModuleOption<String> SUBDOMAIN = SECTION.option("subdomain", ValueType.STRING, "proxy",
            "The proxy's domain is this label before each hosted domain: `proxy.example.org`.");
    /**
     * Loopback, like every other listener (c2s, s2s, HTTP): nothing is reachable from the network
     * until the operator names the interface, and for a relay that carries other people's bytes
     * on a public port that is the same decision as {@code c2s.address}.
     */
    public static final ModuleOption<String> LISTEN_ADDRESS = SECTION.option("listen_address", ValueType.STRING,
            "127.0.0.1", "Address the SOCKS5 listener binds: loopback, like every listener, until you name the "
                    + "interface clients reach (`0.0.0.0` or `::` for every interface), as for `c2s.address`.");
    public static final ModuleOption<Integer> PORT = SECTION.option("port", ValueType.PORT, 7777,
            "Port of the SOCKS5 listener (0: any free port, for tests).");
    public static final ModuleOption<String> PUBLIC_HOST = SECTION.option("public_host", ValueType.OPTIONAL_STRING,
            null, "Host name or IP address clients connect to (the `host` of the streamhost); null: the listen "
                    + "address, or the proxy's domain when that is a wildcard (it must then resolve to this machine).");
    public static final ModuleOption<Boolean> ALLOW_REMOTE = SECTION.option("allow_remote", ValueType.BOOLEAN,
            false, "Let users of other servers use the proxy (by default only local users may).");
    public static final ModuleOption<Integer> MAX_CONNECTIONS_PER_ADDRESS = SECTION.option(
            "max_connections_per_address", ValueType.POSITIVE, 10,
            "SOCKS5 connections one IP address may hold at once; more are closed at once.");
    public static final ModuleOption<Integer> MAX_PENDING = SECTION.option("max_pending", ValueType.POSITIVE, 100,
            "Streams that may wait for activation at once; a connection for one more is refused.");
    public static final ModuleOption<Duration> ACTIVATION_TIMEOUT = SECTION.option("activation_timeout",
            ValueType.DURATION, Duration.ofSeconds(60), "How long a connection may wait for its stream's activation "
                    + "before it is closed.");
    public static final ModuleOption<Integer> MAX_TRANSFERS = SECTION.option("max_transfers", ValueType.POSITIVE,
            100, "Streams relayed at once; activating one more is a `resource-constraint` error.");
    public static final ModuleOption<Integer> MAX_RATE = SECTION.option("max_rate", ValueType.integer(0,
            Integer.MAX_VALUE), 0, "Bytes per second relayed in each direction of one stream; 0: no limit.");

    private static final List<ModuleOption<?>> OPTIONS = List.of(ENABLED, SUBDOMAIN, LISTEN_ADDRESS, PORT, PUBLIC_HOST,
            ALLOW_REMOTE, MAX_CONNECTIONS_PER_ADDRESS, MAX_PENDING, ACTIVATION_TIMEOUT, MAX_TRANSFERS, MAX_RATE);

    private Bytestreams bytestreams;

    @Override
    public String name() {
        return "proxy65";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return OPTIONS;
    }

    /** One listener for the server; each hosted domain gets its component host. */
    @Override
    public boolean global() {
        return true;
    }

    @Override
    public void load(ModuleContext context) {
        if (!context.option(ENABLED)) {
            return;
        }
        bytestreams = new Bytestreams(context.option(MAX_PENDING), context.option(MAX_TRANSFERS));
        String address = context.option(LISTEN_ADDRESS);
        AtomicInteger port = new AtomicInteger(context.option(PORT));
        Predicate<Jid> allowed = allowed(context.option(ALLOW_REMOTE), context.domains());
        for (DomainBareJid domain : context.domains()) {
            DomainBareJid service = serviceDomain(context, domain);
            String host = publicHost(context, address, service);
            new StreamhostRequests(service, host, port::get, allowed, bytestreams)
                    .register(context.addComponentHost(service));
        }
        // The port opens with the server's listeners (not in socket-less test servers).
        context.onStarted(server -> {
            Socks5Listener listener = Socks5Listener.bind(new InetSocketAddress(address, port.get()), bytestreams,
                    new Proxy65Limits(context.option(MAX_CONNECTIONS_PER_ADDRESS), context.option(ACTIVATION_TIMEOUT),
                            context.option(MAX_RATE)));
            context.onStop(listener);
            port.set(listener.address().getPort());
            return "SOCKS5 proxy on " + address + ":" + port.get();
        });
    }

    /** The streams waiting and relaying (tests). */
    Bytestreams bytestreams() {
        return bytestreams;
    }

    /** Who may use the proxy: accounts of the hosted domains, and of any server with {@code allowRemote}. */
    static Predicate<Jid> allowed(boolean allowRemote, Set<DomainBareJid> hostedDomains) {
        return jid -> jid.hasLocalpart() && (allowRemote || hostedDomains.contains(jid.asDomainBareJid()));
    }

    private static String publicHost(ModuleContext context, String address, DomainBareJid service) {
        String configured = context.option(PUBLIC_HOST);
        if (configured != null) {
            return configured;
        }
        boolean wildcard = new InetSocketAddress(address, 0).getAddress().isAnyLocalAddress();
        return wildcard ? service.toString() : address;
    }

    private static DomainBareJid serviceDomain(ModuleContext context, DomainBareJid domain) {
        try {
            return Jids.parseDomain(context.option(SUBDOMAIN) + "." + domain);
        } catch (JidMalformedException e) {
            throw new IllegalArgumentException(SUBDOMAIN + ": not a domain label: " + e.getMessage(), e);
        }
    }
}
