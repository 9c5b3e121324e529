package im.parley.push;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push app server (XEP-0357 §3) as an external component (XEP-0114): it works with any XMPP
 * server that accepts components. Devices register through ad-hoc commands
 * ({@link RegistrationCommands}); XMPP servers publish notifications to the issued nodes
 * ({@link PublishHandler}), which go on to Firebase Cloud Messaging ({@link FcmSender}) or APNs
 * ({@link ApnsSender}). It reconnects when the connection is lost.
 */
public final class PushAppServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushAppServer.class);
    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final long RECONNECT_SECONDS = 5;

    private final AppServerSettings settings;
    private final RegistrationStore store;
    private final Map<Registration.Service, PushSender> senders = new EnumMap<>(Registration.Service.class);
    private final RegistrationCommands commands;
    private final PublishHandler publisher;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile ComponentConnection connection;
    private volatile boolean closed;

    public PushAppServer(AppServerSettings settings) {
        this.settings = settings;
        this.store = new RegistrationStore(settings.registrationsFile());
        if (settings.fcm() != null) {
            senders.put(Registration.Service.FCM, new FcmSender(settings.fcm()));
        }
        if (settings.apns() != null) {
            senders.put(Registration.Service.APNS, new ApnsSender(settings.apns()));
        }
        this.commands = new RegistrationCommands(store, settings.fcm() != null, settings.apns() != null);
        this.publisher = new PublishHandler(store, senders);
    }

    /** Connects to the XMPP server; the future completes once the component is accepted. */
    public CompletableFuture<PushAppServer> start() {
        ComponentConnection next = new ComponentConnection(settings, this::onStanza, this::onClosed);
        connection = next;
        return next.connect(group).thenApply(c -> this);
    }

    /** The registered devices (for operators and tests). */
    public RegistrationStore registrations() {
        return store;
    }

    private void onClosed() {
        if (!closed) {
            LOG.info("component connection lost; reconnecting in {} s", RECONNECT_SECONDS);
            group.schedule(() -> {
                if (!closed) {
                    start().exceptionally(failure -> null);
                }
            }, RECONNECT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void onStanza(Element stanza) {
        if (!"iq".equals(stanza.getName())) {
            return;
        }
        String type = stanza.attributeValue("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return;
        }
        if (stanza.elements().size() != 1) {
            send(Iqs.error(stanza, "modify", "bad-request", null));
            return;
        }
        Element payload = stanza.elements().get(0);
        String namespace = payload.getNamespaceURI();
        try {
            if (RegistrationCommands.NAMESPACE.equals(namespace)) {
                send(commands.execute(stanza));
            } else if (PublishHandler.PUBSUB.equals(namespace)) {
                publisher.publish(stanza).whenComplete((reply, failure) -> send(reply != null ? reply
                        : Iqs.error(stanza, "cancel", "internal-server-error", null)));
            } else if (DISCO_INFO.equals(namespace) && "get".equals(type)) {
                send(discoInfo(stanza));
            } else if (DISCO_ITEMS.equals(namespace) && "get".equals(type)) {
                send(discoItems(stanza, payload.attributeValue("node")));
            } else {
                send(Iqs.error(stanza, "cancel", "service-unavailable", null));
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot handle {}", stanza.asXML(), e);
            send(Iqs.error(stanza, "cancel", "internal-server-error", null));
        }
    }

    /** XEP-0357 §3: the app server is a pubsub service of type push; it offers ad-hoc commands. */
    private Element discoInfo(Element iq) {
        Element reply = Iqs.result(iq);
        Element query = reply.addElement(QName.get("query", DISCO_INFO));
        query.addElement(QName.get("identity", DISCO_INFO)).addAttribute("category", "pubsub")
                .addAttribute("type", "push").addAttribute("name", "Parley push app server");
        for (String feature : new String[] {DISCO_INFO, DISCO_ITEMS, RegistrationCommands.NAMESPACE, PublishHandler.PUSH}) {
            query.addElement(QName.get("feature", DISCO_INFO)).addAttribute("var", feature);
        }
        return reply;
    }

    /** XEP-0050 §2.2: the commands are the items of the commands node. */
    private Element discoItems(Element iq, String node) {
        Element reply = Iqs.result(iq);
        Element query = reply.addElement(QName.get("query", DISCO_ITEMS));
        if (RegistrationCommands.NAMESPACE.equals(node)) {
            query.addAttribute("node", node);
            for (String command : commands.nodes()) {
                query.addElement(QName.get("item", DISCO_ITEMS)).addAttribute("jid", settings.domain())
                        .addAttribute("node", command).addAttribute("name", command);
            }
        }
        return reply;
    }

    private void send(Element stanza) {
        ComponentConnection current = connection;
        if (current != null) {
            current.send(stanza);
        }
    }

    @Override
    public void close() {
        closed = true;
        ComponentConnection current = connection;
        if (current != null) {
            current.close();
        }
        senders.values().forEach(PushSender::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
