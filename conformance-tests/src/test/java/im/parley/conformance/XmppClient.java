package im.parley.conformance;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * A logged-in Smack connection with helpers that make scenario tests read like a script
 * (STYLE.md #15): {@code romeo.sendsChat(juliet.jid(), "hi")}, {@code juliet.receivesChat(...)}.
 * Every stanza the client receives is recorded, so a wait also matches stanzas that arrived
 * before it started.
 */
public final class XmppClient implements AutoCloseable {

    static {
        OccupantIdProvider.register();
    }

    /** Generous for a loaded CI machine; a passing wait returns as soon as the stanza is there. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final XMPPTCPConnection connection;
    private final List<Stanza> received = new CopyOnWriteArrayList<>();

    private XmppClient(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    /** Connects, authenticates and binds; Smack sends initial presence on login. */
    public static XmppClient connect(XMPPTCPConnectionConfiguration configuration) {
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setReplyTimeout(WAIT.toMillis());
        XmppClient client = new XmppClient(connection);
        connection.addSyncStanzaListener(client.received::add, stanza -> true);
        try {
            connection.connect().login();
        } catch (Exception e) {
            connection.disconnect();
            throw new IllegalStateException("login of " + configuration.getUsername() + " failed: " + e, e);
        }
        return client;
    }

    public XMPPTCPConnection connection() {
        return connection;
    }

    /** The full JID the server bound for this connection. */
    public EntityFullJid jid() {
        return connection.getUser();
    }

    public EntityBareJid bareJid() {
        return jid().asEntityBareJid();
    }

    public void sends(Stanza stanza) {
        try {
            connection.sendStanza(stanza);
        } catch (SmackException.NotConnectedException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a {@code chat} message with a body. */
    public Message sendsChat(Jid to, String body) {
        Message message = connection.getStanzaFactory().buildMessageStanza()
                .to(to).ofType(Message.Type.chat).setBody(body).build();
        sends(message);
        return message;
    }

    /**
     * Sends a message of {@code type} with a body; an {@code error} message carries the
     * {@code <undefined-condition/>} that RFC 6120 §8.3.2 requires of every error stanza.
     */
    public Message sendsMessage(Jid to, Message.Type type, String body) {
        MessageBuilder message = connection.getStanzaFactory().buildMessageStanza().to(to).ofType(type).setBody(body);
        if (type == Message.Type.error) {
            message.setError(StanzaError.getBuilder(StanzaError.Condition.undefined_condition).build());
        }
        Message built = message.build();
        sends(built);
        return built;
    }

    /** Broadcasts available presence with a priority (RFC 6121 §4.7.2.3). */
    public void sendsPresence(int priority) {
        sends(connection.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .setPriority(priority).build());
    }

    /** Waits for a received stanza matching {@code condition}, and returns it. */
    public Stanza receives(String description, Predicate<Stanza> condition) {
        return await(jid() + " receives " + description).atMost(WAIT)
                .until(() -> received.stream().filter(condition).findFirst(), Optional::isPresent)
                .get();
    }

    /** Waits for a message with this body from {@code from} (a full JID, or any resource of a bare one). */
    public Message receivesChat(Jid from, String body) {
        return (Message) receives("'" + body + "' from " + from, stanza -> stanza instanceof Message message
                && body.equals(message.getBody()) && comesFrom(message, from));
    }

    /** Waits for a message error bounce with {@code condition} (RFC 6120 §8.3). */
    public Message receivesMessageError(StanzaError.Condition condition) {
        return (Message) receives("a message error <" + condition + "/>", stanza -> stanza instanceof Message message
                && message.getType() == Message.Type.error && message.getError() != null
                && message.getError().getCondition() == condition);
    }

    /** Waits for the error bounce of {@code sent} (same id, RFC 6120 §8.3.1) with {@code condition}. */
    public Stanza receivesErrorFor(Stanza sent, StanzaError.Condition condition) {
        return receives("the <" + condition + "/> error for " + sent.getStanzaId(), stanza -> isErrorFor(stanza, sent)
                && stanza.getError() != null && stanza.getError().getCondition() == condition);
    }

    /** The error bounces received for {@code sent} (to assert that none came). */
    public List<Stanza> errorsFor(Stanza sent) {
        return received.stream().filter(stanza -> isErrorFor(stanza, sent)).toList();
    }

    /** Every stanza received so far matching {@code condition} (to assert that something did not arrive). */
    public List<Stanza> received(Predicate<Stanza> condition) {
        return received.stream().filter(condition).toList();
    }

    private static boolean isErrorFor(Stanza stanza, Stanza sent) {
        return sent.getStanzaId() != null && sent.getStanzaId().equals(stanza.getStanzaId()) && stanza.getError() != null;
    }

    /** The received messages whose body is {@code body} (to assert that something did not arrive). */
    public List<Message> messagesWithBody(String body) {
        return received.stream().filter(s -> s instanceof Message m && body.equals(m.getBody()))
                .map(Message.class::cast).toList();
    }

    /** Sends an IQ request and returns the result; a stanza error fails with {@link XMPPException.XMPPErrorException}. */
    public IQ requests(IQ request) throws XMPPException.XMPPErrorException {
        try {
            return connection.createStanzaCollectorAndSend(request).nextResultOrThrow(WAIT.toMillis());
        } catch (SmackException | InterruptedException e) {
            throw new IllegalStateException("no answer to " + request.toXML(), e);
        }
    }

    /** Sends an IQ request that must fail, and returns the error condition. */
    public StanzaError.Condition requestFails(IQ request) {
        try {
            IQ result = requests(request);
            throw new AssertionError("expected an error, got " + result.toXML());
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
    }

    private static boolean comesFrom(Stanza stanza, Jid from) {
        Jid actual = stanza.getFrom();
        return actual != null && (actual.equals(from) || (!from.hasResource() && actual.asBareJid().equals(from)));
    }

    @Override
    public void close() {
        if (connection.isConnected()) {
            connection.disconnect();
        }
    }
}
