package im.parley.conformance;

import static org.awaitility.Awaitility.await;

import im.parley.sdk.Availability;
import im.parley.sdk.ChatClient;
import im.parley.sdk.ChatException;
import im.parley.sdk.ChatMessage;
import im.parley.sdk.Contact;
import im.parley.sdk.PresenceUpdate;
import im.parley.sdk.Reconnect;
import im.parley.sdk.Transport;
import im.parley.sdk.Trust;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * A user of Parley's client SDK ({@link ChatClient}) with the server's certificate pinned, with helpers that make scenario tests read like a script (STYLE.md #15):
 * {@code romeo.sendsChat(juliet, "hi")}, {@code juliet.receivesChat(romeo, "hi")}. Its listeners
 * are registered before login and record everything, so a wait also matches what arrived before
 * it started (offline messages, pending contact requests).
 */
public final class SdkUser implements AutoCloseable {

    /** Generous for a loaded CI machine; a passing wait returns as soon as the event is there. */
    public static final Duration WAIT = XmppClient.WAIT;

    private final ChatClient client;
    private final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
    private final List<EntityBareJid> contactRequests = new CopyOnWriteArrayList<>();
    private final List<PresenceUpdate> presences = new CopyOnWriteArrayList<>();

    private SdkUser(ChatClient client) {
        this.client = client;
        client.onMessage(messages::add);
        client.contacts().onSubscriptionRequest(contactRequests::add);
        client.contacts().onPresence(presences::add);
    }

    /**
     * A client for {@code account} on the server under test, not yet logged in. Reconnection is
     * off: a conformance test must see a broken connection, not have it papered over.
     */
    static SdkUser of(ParleyServerExtension parley, EntityBareJid account, Transport transport) {
        return new SdkUser(ChatClient.builder(account, ParleyServerExtension.PASSWORD)
                .transport(transport)
                .trust(Trust.pinned(parley.certificate()))
                .reconnect(Reconnect.disabled())
                .replyTimeout(WAIT)
                .build());
    }

    /** Connects, secures the stream, authenticates, binds and sends initial presence (RFC 6120 §5-§7, RFC 6121 §4.2). */
    public SdkUser logsIn() {
        return does("log in", client::login);
    }

    public ChatClient client() {
        return client;
    }

    /** The account's bare JID. */
    public EntityBareJid jid() {
        return client.jid();
    }

    /** The full JID the server bound for this session (RFC 6120 §7). */
    public EntityFullJid sessionJid() {
        return client.sessionJid();
    }

    /** Sends a chat message to the peer's account (RFC 6121 §5.2.2). */
    public void sendsChat(SdkUser to, String body) {
        sendsChat(to.jid(), body);
    }

    public void sendsChat(EntityBareJid to, String body) {
        does("send '" + body + "' to " + to, () -> client.send(to, body));
    }

    /** Waits for a chat message with this body from {@code from}'s account, and returns it. */
    public ChatMessage receivesChat(SdkUser from, String body) {
        return receivesChat(from.jid(), body);
    }

    public ChatMessage receivesChat(EntityBareJid from, String body) {
        return await(jid() + " receives '" + body + "' from " + from).atMost(WAIT)
                .until(() -> messages.stream().filter(m -> m.from().equals(from) && m.body().equals(body)).findFirst(),
                        Optional::isPresent)
                .get();
    }

    /** Adds a contact and asks to see its presence (RFC 6121 §2.3, §3.1.1). */
    public void addsContact(SdkUser contact, String name) {
        does("add " + contact.jid(), () -> client.contacts().add(contact.jid(), name));
    }

    /** Waits for {@code requester}'s request to see this user's presence (RFC 6121 §3.1.3). */
    public void receivesContactRequestFrom(SdkUser requester) {
        await(jid() + " receives a contact request from " + requester.jid()).atMost(WAIT)
                .until(() -> contactRequests.contains(requester.jid()));
    }

    /** Approves the request and asks back (RFC 6121 §3.1.4). */
    public void accepts(SdkUser requester) {
        does("accept " + requester.jid(), () -> client.contacts().accept(requester.jid()));
    }

    /** Waits until the roster holds {@code contact} with a subscription both ways (RFC 6121 §2.1.2.5). */
    public void hasMutualSubscriptionWith(SdkUser contact) {
        await(jid() + " has a mutual subscription with " + contact.jid()).atMost(WAIT)
                .until(() -> client.contacts().list().stream().anyMatch(c -> c.jid().equals(contact.jid())
                        && c.subscription() == Contact.Subscription.BOTH && !c.awaitingApproval()));
    }

    /** Sets this user's presence (RFC 6121 §4.7.2). */
    public void setsStatus(Availability availability, String status) {
        does("set status " + availability, () -> client.setStatus(availability, status));
    }

    /** Waits for a presence update from {@code contact} with this availability (and status, if not null). */
    public PresenceUpdate seesPresence(SdkUser contact, Availability availability, String status) {
        return await(jid() + " sees " + contact.jid() + " " + availability).atMost(WAIT)
                .until(() -> presences.stream().filter(p -> p.contact().equals(contact.jid())
                        && p.availability() == availability && (status == null || status.equals(p.status())))
                        .findFirst(), Optional::isPresent)
                .get();
    }

    /** The received messages whose body is {@code body} (to assert that something did not arrive). */
    public List<ChatMessage> messagesWithBody(String body) {
        return messages.stream().filter(m -> m.body().equals(body)).toList();
    }

    private SdkUser does(String what, SdkAction action) {
        try {
            action.run();
            return this;
        } catch (ChatException e) {
            throw new IllegalStateException(jid() + " could not " + what + ": " + e, e);
        }
    }

    @FunctionalInterface
    private interface SdkAction {
        void run() throws ChatException;
    }

    @Override
    public void close() {
        client.close();
    }
}
