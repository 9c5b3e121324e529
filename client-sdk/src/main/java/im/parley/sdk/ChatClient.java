package im.parley.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * One account's connection to an XMPP server: log in, chat, manage contacts and presence.
 *
 * <pre>{@code
 * try (ChatClient alice = ChatClient.builder("alice@example.org", "secret")
 *         .transport(Transport.startTls("chat.example.org", 5222))
 *         .build()) {
 *     alice.onMessage(m -> System.out.println(m.from() + ": " + m.body()));
 *     alice.login();
 *     alice.send(JidCreate.entityBareFromOrThrowUnchecked("bob@example.org"), "Hi Bob");
 * }
 * }</pre>
 *
 * <p>Register listeners before {@link #login()} to see messages the server delivers right after
 * login (e.g. stored offline messages, RFC 6121 §8.5.3). Listeners run one at a time, in order,
 * on an SDK thread: do not block in them. Methods that talk to the server block until it
 * answers; each has an {@code ...Async} twin returning a {@link CompletableFuture} that fails
 * with the same {@link ChatException}s.
 */
public final class ChatClient implements AutoCloseable {

    private final EntityBareJid jid;
    private final ClientListeners listeners = new ClientListeners();
    private final ExecutorService asyncExecutor;
    private final ClientSession session;
    private final Contacts contacts;
    private final SessionStarter starter;
    private final Duration replyTimeout;

    private ChatClient(Builder builder) {
        this.jid = builder.jid;
        this.replyTimeout = builder.replyTimeout;
        SessionOpener opener = new SessionOpener(builder.jid, builder.password, builder.resource,
                Objects.requireNonNull(builder.transport, "transport"), builder.trust, builder.replyTimeout);
        this.asyncExecutor = Executors.newCachedThreadPool(DaemonThreads.named("parley-sdk-" + jid));
        this.session = new ClientSession(jid, builder.reconnect, listeners, asyncExecutor, replyTimeout);
        this.contacts = new Contacts(this, asyncExecutor);
        this.starter = new SessionStarter(jid, opener, session, builder.reconnect, listeners, contacts);
    }

    /**
     * Starts describing a client for an existing account (or one to {@link #register()}).
     * Without a {@link Builder#transport transport}, it uses STARTTLS to the account's domain on
     * port 5222.
     */
    public static Builder builder(EntityBareJid account, String password) {
        return new Builder(account, password);
    }

    /**
     * Like {@link #builder(EntityBareJid, String)} with the account as text.
     *
     * @throws IllegalArgumentException if {@code account} is not a bare JID like {@code alice@example.org}
     */
    public static Builder builder(String account, String password) {
        try {
            return new Builder(JidCreate.entityBareFrom(account), password);
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("not an account address: " + account, e);
        }
    }

    /** The account this client logs in to. */
    public EntityBareJid jid() {
        return jid;
    }

    /** The full address of the current session (with its resource), or {@code null} before login. */
    public EntityFullJid sessionJid() {
        AbstractXMPPConnection current = session.connection();
        return current == null ? null : current.getUser();
    }

    /** Whether the client is logged in right now (not reconnecting, not closed). */
    public boolean isOnline() {
        return session.isOnline();
    }

    /**
     * Whether the current session uses stream management (XEP-0198), so that a broken connection
     * is resumed without losing stanzas. False when the server does not offer it and on BOSH
     * (whose own acknowledgements, XEP-0124 §9, play that role).
     */
    public boolean isResumable() {
        return session.connection() instanceof XMPPTCPConnection tcp && tcp.isSmEnabled()
                && tcp.isSmResumptionPossible();
    }

    /**
     * Connects, secures the connection, logs in (RFC 6120 §5-§7) and announces the user online
     * (RFC 6121 §4.2). Returns once the server has processed that presence, so messages sent to
     * the user from then on are delivered to this session, not stored offline.
     *
     * @throws AuthenticationFailedException wrong password or unknown account
     * @throws ServerUnreachableException the server cannot be reached
     * @throws UntrustedCertificateException the server's certificate is not trusted
     * @throws ChatException anything else, e.g. already logged in or closed
     */
    public void login() throws ChatException {
        starter.login();
    }

    /** {@link #login()} in the background. */
    public CompletableFuture<Void> loginAsync() {
        return Async.run(asyncExecutor, () -> {
            login();
            return null;
        });
    }

    /**
     * Creates the account on the server by in-band registration (XEP-0077 §3.1), then logs in.
     *
     * @throws RegistrationRefusedException the server does not allow registration, or the name is taken
     * @throws ServerUnreachableException the server cannot be reached
     * @throws UntrustedCertificateException the server's certificate is not trusted
     */
    public void register() throws ChatException {
        starter.register();
    }

    /** {@link #register()} in the background. */
    public CompletableFuture<Void> registerAsync() {
        return Async.run(asyncExecutor, () -> {
            register();
            return null;
        });
    }

    /**
     * Sends a chat message (RFC 6121 §5.2.2). While the client is reconnecting, the message waits
     * and is sent as soon as the session is back.
     *
     * @return the message's stanza id
     * @throws ChatException if the client is not logged in (and not reconnecting)
     */
    public String send(EntityBareJid to, String body) throws ChatException {
        return session.send(to, body);
    }

    /** {@link #send(EntityBareJid, String)} in the background. */
    public CompletableFuture<String> sendAsync(EntityBareJid to, String body) {
        return Async.run(asyncExecutor, () -> send(to, body));
    }

    /** The conversation with one contact: send to it and listen to its messages only. */
    public Chat chat(EntityBareJid peer) {
        return new Chat(this, peer);
    }

    /** Calls {@code listener} for every chat message received, from anyone. */
    public Cancellable onMessage(Consumer<ChatMessage> listener) {
        return listeners.onMessage(listener);
    }

    /**
     * Sets the user's own presence as contacts see it (RFC 6121 §4.2, §4.7.2); kept across
     * reconnections. {@link Availability#OFFLINE} hides the user while staying connected.
     */
    public void setStatus(Availability availability, String status) throws ChatException {
        session.setStatus(availability, status);
    }

    /** The contact list (roster, RFC 6121 §2) and contacts' presence. */
    public Contacts contacts() {
        return contacts;
    }

    /** Calls {@code listener} when the connection is lost, resumed, re-established or closed. */
    public Cancellable onConnectionEvent(Consumer<ConnectionEvent> listener) {
        return listeners.onConnectionEvent(listener);
    }

    /**
     * Logs out (announcing the user offline) and releases the connection. Idempotent, and
     * bounded whatever the connection is doing: when online, the logout gets at most the reply
     * timeout, after which the connection is dropped; in any other state (logging in,
     * reconnecting) the connection is dropped at once, a pending reconnection is cancelled and
     * a login in progress fails. {@link ConnectionEvent#CLOSED} is fired once.
     */
    @Override
    public void close() {
        ClientSession.State previous = session.close();
        if (previous == ClientSession.State.CLOSED) {
            return;
        }
        starter.stop();
        session.release(previous);
        // Interrupts a loginAsync() or other call of this client still waiting on the server.
        asyncExecutor.shutdownNow();
        listeners.fire(ConnectionEvent.CLOSED);
    }

    AbstractXMPPConnection requireConnection() throws ChatException {
        return session.requireConnection();
    }

    /** How long to wait for the server's answer to a request. */
    Duration replyTimeout() {
        return replyTimeout;
    }

    Roster roster() throws ChatException {
        return Roster.getInstanceFor(requireConnection());
    }

    /** Describes a {@link ChatClient}; every setting but the account has a sensible default. */
    public static final class Builder {
        private final EntityBareJid jid;
        private final String password;
        private Transport transport;
        private Trust trust = Trust.systemDefaults();
        private Reconnect reconnect = Reconnect.defaults();
        private Duration replyTimeout = Duration.ofSeconds(10);
        private Resourcepart resource;

        private Builder(EntityBareJid jid, String password) {
            this.jid = Objects.requireNonNull(jid, "account");
            this.password = Objects.requireNonNull(password, "password");
            this.transport = Transport.startTls(jid.getDomain().toString(), 5222);
        }

        /** How to reach the server (default: STARTTLS to the account's domain, port 5222). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Which server certificates to accept (default: {@link Trust#systemDefaults()}). */
        public Builder trust(Trust trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** Reconnection after a broken connection (default: {@link Reconnect#defaults()}). */
        public Builder reconnect(Reconnect reconnect) {
            this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
            return this;
        }

        /**
         * How long to wait for the server's answer to a request, and for a TCP connection with its
         * TLS handshake (default: 10 seconds).
         */
        public Builder replyTimeout(Duration replyTimeout) {
            this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
            return this;
        }

        /**
         * The resource naming this device's session, e.g. {@code phone} (RFC 6120 §7.6); by
         * default the server picks one.
         */
        public Builder resource(String resource) {
            try {
                this.resource = Resourcepart.from(resource);
            } catch (XmppStringprepException e) {
                throw new IllegalArgumentException("not a valid resource: " + resource, e);
            }
            return this;
        }

        /** The client, not yet connected: register listeners, then {@link ChatClient#login()}. */
        public ChatClient build() {
            return new ChatClient(this);
        }
    }
}
