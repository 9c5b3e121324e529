package im.parley.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
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

    private enum State { NEW, ONLINE, RECONNECTING, CLOSED }

    private final EntityBareJid jid;
    private final SessionOpener opener;
    private final Reconnector reconnector;
    private final ClientListeners listeners = new ClientListeners();
    private final ExecutorService asyncExecutor;
    private final Contacts contacts;
    /** Serializes login, registration and reconnection attempts; {@link #close()} never waits for it. */
    private final Object lock = new Object();
    /** Guarded by itself, together with the transitions to ONLINE and RECONNECTING. */
    private final Outbox outbox = new Outbox();
    /** Changes under the outbox's monitor, except to CLOSED: {@link #close()} takes no lock. */
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Duration replyTimeout;
    private volatile AbstractXMPPConnection connection;

    private ChatClient(Builder builder) {
        this.jid = builder.jid;
        this.replyTimeout = builder.replyTimeout;
        this.opener = new SessionOpener(builder.jid, builder.password, builder.resource,
                Objects.requireNonNull(builder.transport, "transport"), builder.trust, builder.replyTimeout);
        this.asyncExecutor = Executors.newCachedThreadPool(DaemonThreads.named("parley-sdk-" + jid));
        this.reconnector = new Reconnector(builder.reconnect, "parley-sdk-reconnect-" + jid, lock, new ReconnectingSession(),
                listeners);
        this.contacts = new Contacts(this, asyncExecutor);
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
        AbstractXMPPConnection current = connection;
        return current == null ? null : current.getUser();
    }

    /** Whether the client is logged in right now (not reconnecting, not closed). */
    public boolean isOnline() {
        return state.get() == State.ONLINE;
    }

    /**
     * Whether the current session uses stream management (XEP-0198), so that a broken connection
     * is resumed without losing stanzas. False when the server does not offer it and on BOSH
     * (whose own acknowledgements, XEP-0124 §9, play that role).
     */
    public boolean isResumable() {
        return connection instanceof XMPPTCPConnection tcp && tcp.isSmEnabled() && tcp.isSmResumptionPossible();
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
        requireNew(); // at once, even while a login in another thread holds the lock
        synchronized (lock) {
            requireNew();
            AbstractXMPPConnection current = connect();
            opener.authenticate(current);
            announce(current);
            onlineOrClosed(current);
        }
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
        requireNew();
        synchronized (lock) {
            requireNew();
            AbstractXMPPConnection current = connect();
            opener.register(current);
            opener.authenticate(current);
            announce(current);
            onlineOrClosed(current);
        }
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
        Message message = requireConnection().getStanzaFactory().buildMessageStanza()
                .to(to)
                .ofType(Message.Type.chat)
                .setBody(body)
                .build();
        synchronized (outbox) {
            if (state.get() == State.RECONNECTING) {
                outbox.queue(message);
                return message.getStanzaId();
            }
            requireOnline();
            try {
                connection.sendStanza(message);
            } catch (SmackException.NotConnectedException e) {
                if (!reconnector.enabled()) {
                    throw SmackErrors.request(e, "sending to " + to);
                }
                outbox.queue(message);
            } catch (InterruptedException e) {
                throw SmackErrors.request(e, "sending to " + to);
            }
        }
        return message.getStanzaId();
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
        AbstractXMPPConnection current = requireConnection();
        Presence presence = Presences.toStanza(current, availability, status);
        synchronized (outbox) {
            outbox.rememberPresence(presence);
            if (state.get() == State.RECONNECTING) {
                return; // sent once the session is back
            }
            requireOnline();
            try {
                current.sendStanza(presence);
            } catch (SmackException.NotConnectedException | InterruptedException e) {
                throw SmackErrors.request(e, "setting presence");
            }
            outbox.presenceSent();
        }
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
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        reconnector.stop();
        AbstractXMPPConnection current = connection;
        if (current != null) {
            if (previous == State.ONLINE) {
                logOut(current);
            } else {
                // Logging in or reconnecting: there is no session to log out of.
                drop(current);
            }
        }
        // Interrupts a loginAsync() or other call of this client still waiting on the server.
        asyncExecutor.shutdownNow();
        listeners.fire(ConnectionEvent.CLOSED);
    }

    /**
     * Logs out on another thread, so that a connection whose monitor another thread holds, or
     * whose server does not answer, cannot keep {@link #close()} waiting beyond the reply timeout.
     */
    private void logOut(AbstractXMPPConnection current) {
        Future<?> logout = asyncExecutor.submit(() -> current.disconnect());
        try {
            logout.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            logout.cancel(true);
            drop(current);
        } catch (TimeoutException | ExecutionException e) {
            // No answer in time, or the connection broke meanwhile: it goes all the same.
            logout.cancel(true);
            drop(current);
        }
    }

    /**
     * Shuts the connection down without waiting for it: Smack's TCP connection takes its monitor
     * to do so, which a thread still connecting holds until its own reply timeout.
     */
    private void drop(AbstractXMPPConnection current) {
        DaemonThreads.named("parley-sdk-close-" + jid).newThread(current::instantShutdown).start();
    }

    AbstractXMPPConnection requireConnection() throws ChatException {
        AbstractXMPPConnection current = connection;
        State now = state.get();
        if (current == null || now == State.NEW || now == State.CLOSED) {
            throw new ChatException(jid + " is not logged in");
        }
        return current;
    }

    /** How long to wait for the server's answer to a request. */
    Duration replyTimeout() {
        return replyTimeout;
    }

    Roster roster() throws ChatException {
        return Roster.getInstanceFor(requireConnection());
    }

    private void requireNew() throws ChatException {
        if (state.get() == State.CLOSED) {
            throw closedException();
        }
        if (state.get() != State.NEW) {
            throw new ChatException(jid + " is already logged in");
        }
    }

    private void requireOnline() throws ChatException {
        if (state.get() != State.ONLINE) {
            throw new ChatException(jid + " is not logged in");
        }
    }

    private ChatException closedException() {
        return new ChatException("the client of " + jid + " is closed");
    }

    /** The connection, created on the first attempt and reused by a retried login. */
    private AbstractXMPPConnection connect() throws ChatException {
        AbstractXMPPConnection current = connection;
        if (current == null) {
            current = opener.create();
            listenTo(current);
            connection = current;
        }
        opener.connect(current);
        return current;
    }

    /** A new session's initial presence, and the wait until the server has processed it. */
    private void announce(AbstractXMPPConnection current) throws ChatException {
        try {
            announceNewSession(current);
        } catch (SmackException.NotConnectedException | InterruptedException e) {
            current.disconnect();
            throw SmackErrors.request(e, "announcing " + jid + " online");
        }
    }

    /** See {@link SessionOpener#announce}: the user's status, or plain available if none was set. */
    private void announceNewSession(AbstractXMPPConnection current)
            throws SmackException.NotConnectedException, InterruptedException {
        Presence initial;
        synchronized (outbox) {
            initial = outbox.initialPresence(Presences.toStanza(current, Availability.AVAILABLE, null));
        }
        if (initial.getType() != Presence.Type.available) {
            return; // hidden (Availability.OFFLINE): the new session stays unavailable, nothing to announce
        }
        opener.announce(current, initial);
    }

    /** After login: online, unless {@link #close()} came first; then the new session is dropped. */
    private void onlineOrClosed(AbstractXMPPConnection current) throws ChatException {
        if (!online(false)) {
            current.instantShutdown();
            throw closedException();
        }
    }

    /**
     * The session is up (again): flush what waited and tell the listeners. False, changing
     * nothing, if the client was closed meanwhile.
     */
    private boolean online(boolean afterReconnect) {
        boolean resumed = afterReconnect && connection instanceof XMPPTCPConnection tcp && tcp.streamWasResumed();
        State expected = afterReconnect ? State.RECONNECTING : State.NEW;
        synchronized (outbox) {
            if (state.get() != expected) {
                return false;
            }
            outbox.flush(connection::sendStanza);
            // Only close() changes the state without the outbox's monitor.
            if (!state.compareAndSet(expected, State.ONLINE)) {
                return false;
            }
        }
        listeners.fire(resumed ? ConnectionEvent.RESUMED : ConnectionEvent.LOGGED_IN);
        return true;
    }

    private void listenTo(AbstractXMPPConnection current) {
        current.addSyncStanzaListener(stanza -> listeners.deliver((Message) stanza),
                new AndFilter(MessageTypeFilter.NORMAL_OR_CHAT, MessageWithBodiesFilter.INSTANCE));
        Roster roster = Roster.getInstanceFor(current);
        roster.setSubscriptionMode(Roster.SubscriptionMode.manual);
        contacts.attach(current, roster);
        reconnector.watch(current);
    }

    /** The client as its {@link Reconnector} sees it. */
    private final class ReconnectingSession implements Reconnector.Session {
        @Override
        public boolean lost(boolean retry) {
            synchronized (outbox) {
                return state.compareAndSet(State.ONLINE, retry ? State.RECONNECTING : State.CLOSED);
            }
        }

        @Override
        public boolean awaitsReconnection() {
            return state.get() == State.RECONNECTING;
        }

        @Override
        public AbstractXMPPConnection connection() {
            return connection;
        }

        @Override
        public void announce(AbstractXMPPConnection current) throws Exception {
            announceNewSession(current);
        }

        @Override
        public boolean reconnected() {
            return online(true);
        }

        @Override
        public boolean refused() {
            return state.compareAndSet(State.RECONNECTING, State.CLOSED);
        }
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
