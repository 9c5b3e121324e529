package im.parley.sdk;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
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
    private final String password;
    private final Resourcepart resource;
    private final Transport transport;
    private final Trust trust;
    private final Reconnect reconnect;
    private final Duration replyTimeout;
    private final TrustFailures trustFailures = new TrustFailures();
    private final List<Consumer<ChatMessage>> messageListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionEvent>> connectionListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService asyncExecutor;
    private final ScheduledExecutorService reconnectTimer;
    private final Contacts contacts;
    private final Object lock = new Object();
    /** Messages sent while reconnecting; sent in order once the session is back. */
    private final Queue<Message> outbox = new ArrayDeque<>();
    private volatile State state = State.NEW;
    private volatile AbstractXMPPConnection connection;
    private Presence ownPresence; // guarded by outbox

    private ChatClient(Builder builder) {
        this.jid = builder.jid;
        this.password = builder.password;
        this.resource = builder.resource;
        this.transport = Objects.requireNonNull(builder.transport, "transport");
        this.trust = builder.trust;
        this.reconnect = builder.reconnect;
        this.replyTimeout = builder.replyTimeout;
        this.asyncExecutor = Executors.newCachedThreadPool(daemonThreads("parley-sdk-" + jid));
        this.reconnectTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("parley-sdk-reconnect-" + jid));
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
        return state == State.ONLINE;
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
     * Connects, secures the connection, logs in (RFC 6120 §5-§7) and announces the user online.
     *
     * @throws AuthenticationFailedException wrong password or unknown account
     * @throws ServerUnreachableException the server cannot be reached
     * @throws UntrustedCertificateException the server's certificate is not trusted
     * @throws ChatException anything else, e.g. already logged in or closed
     */
    public void login() throws ChatException {
        synchronized (lock) {
            requireNew();
            AbstractXMPPConnection current = connect();
            authenticate(current);
            online(false);
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
        synchronized (lock) {
            requireNew();
            AbstractXMPPConnection current = connect();
            try {
                AccountManager accounts = AccountManager.getInstance(current);
                // Smack only trusts TLS it negotiated itself; direct TLS and https BOSH are just as safe.
                accounts.sensitiveOperationOverInsecureConnection(transport.encryptedBelowXmpp() || isLoopback());
                if (!accounts.supportsAccountCreation()) {
                    throw new RegistrationRefusedException("the server does not offer in-band registration",
                            "feature-not-implemented", null);
                }
                accounts.createAccount(Localpart.from(jid.getLocalpart().toString()), password);
            } catch (XMPPException.XMPPErrorException e) {
                current.disconnect();
                String condition = SmackErrors.condition(e);
                throw new RegistrationRefusedException("the server refused to create " + jid + ": " + condition,
                        condition, e);
            } catch (RegistrationRefusedException e) {
                current.disconnect();
                throw e;
            } catch (Exception e) {
                current.disconnect();
                throw SmackErrors.request(e, "registering " + jid);
            }
            authenticate(current);
            online(false);
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
            if (state == State.RECONNECTING) {
                outbox.add(message);
                return message.getStanzaId();
            }
            requireOnline();
            try {
                connection.sendStanza(message);
            } catch (SmackException.NotConnectedException e) {
                if (!reconnect.enabled()) {
                    throw SmackErrors.request(e, "sending to " + to);
                }
                outbox.add(message);
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
        messageListeners.add(listener);
        return () -> messageListeners.remove(listener);
    }

    /**
     * Sets the user's own presence as contacts see it (RFC 6121 §4.2, §4.7.2); kept across
     * reconnections. {@link Availability#OFFLINE} hides the user while staying connected.
     */
    public void setStatus(Availability availability, String status) throws ChatException {
        AbstractXMPPConnection current = requireConnection();
        Presence presence = Presences.toStanza(current, availability, status);
        synchronized (outbox) {
            ownPresence = presence;
            if (state == State.RECONNECTING) {
                return; // sent once the session is back
            }
            requireOnline();
            try {
                current.sendStanza(presence);
            } catch (SmackException.NotConnectedException | InterruptedException e) {
                throw SmackErrors.request(e, "setting presence");
            }
        }
    }

    /** The contact list (roster, RFC 6121 §2) and contacts' presence. */
    public Contacts contacts() {
        return contacts;
    }

    /** Calls {@code listener} when the connection is lost, resumed, re-established or closed. */
    public Cancellable onConnectionEvent(Consumer<ConnectionEvent> listener) {
        connectionListeners.add(listener);
        return () -> connectionListeners.remove(listener);
    }

    /** Logs out (announcing the user offline) and releases the connection. Idempotent. */
    @Override
    public void close() {
        State previous;
        synchronized (lock) {
            previous = state;
            state = State.CLOSED;
        }
        if (previous == State.CLOSED) {
            return;
        }
        reconnectTimer.shutdownNow();
        AbstractXMPPConnection current = connection;
        if (current != null) {
            try {
                current.disconnect();
            } catch (IllegalStateException alreadyGone) {
                // Smack's BOSH connection throws while sending its unavailable presence when the
                // HTTP connection under it has just broken; closing must still succeed.
            }
        }
        asyncExecutor.shutdown();
        fire(ConnectionEvent.CLOSED);
    }

    AbstractXMPPConnection requireConnection() throws ChatException {
        AbstractXMPPConnection current = connection;
        if (current == null || state == State.NEW || state == State.CLOSED) {
            throw new ChatException(jid + " is not logged in");
        }
        return current;
    }

    Roster roster() throws ChatException {
        return Roster.getInstanceFor(requireConnection());
    }

    boolean reconnecting() {
        return state == State.RECONNECTING;
    }

    private void requireNew() throws ChatException {
        if (state == State.CLOSED) {
            throw new ChatException("the client of " + jid + " is closed");
        }
        if (state != State.NEW) {
            throw new ChatException(jid + " is already logged in");
        }
    }

    private void requireOnline() throws ChatException {
        if (state != State.ONLINE) {
            throw new ChatException(jid + " is not logged in");
        }
    }

    private AbstractXMPPConnection connect() throws ChatException {
        AbstractXMPPConnection current = connection;
        if (current == null) {
            try {
                current = SmackConnections.create(jid, password, resource, transport, trust, trustFailures);
            } catch (UnknownHostException e) {
                throw new ServerUnreachableException("unknown host " + transport.host(), e);
            }
            current.setReplyTimeout(replyTimeout.toMillis());
            if (current instanceof XMPPTCPConnection tcp) {
                tcp.setUseStreamManagement(true);
                tcp.setUseStreamManagementResumption(true);
            }
            listenTo(current);
            connection = current;
        }
        trustFailures.takeLast();
        try {
            current.connect();
        } catch (SmackException | java.io.IOException | XMPPException | InterruptedException e) {
            current.disconnect();
            throw SmackErrors.connecting(e, transport, trustFailures);
        }
        return current;
    }

    private void authenticate(AbstractXMPPConnection current) throws ChatException {
        try {
            current.login();
        } catch (Exception e) {
            current.disconnect();
            throw SmackErrors.authenticating(e, jid.toString());
        }
    }

    /** The session is up (again): flush what waited and tell the listeners. */
    private void online(boolean afterReconnect) {
        boolean resumed = afterReconnect && connection instanceof XMPPTCPConnection tcp && tcp.streamWasResumed();
        synchronized (outbox) {
            if (afterReconnect && ownPresence != null) {
                // A new session starts with plain "available" (sent by Smack), and the status may
                // have changed while reconnecting: (re)send the user's status.
                sendQuietly(ownPresence);
            }
            Message waiting;
            while ((waiting = outbox.poll()) != null) {
                sendQuietly(waiting);
            }
            state = State.ONLINE;
        }
        fire(resumed ? ConnectionEvent.RESUMED : ConnectionEvent.LOGGED_IN);
    }

    private void sendQuietly(Stanza stanza) {
        try {
            connection.sendStanza(stanza);
        } catch (SmackException.NotConnectedException | InterruptedException e) {
            // The connection broke again: queue it back so the next reconnection sends it.
            if (stanza instanceof Message message) {
                outbox.add(message);
            }
        }
    }

    private void listenTo(AbstractXMPPConnection current) {
        current.addSyncStanzaListener(stanza -> deliver((Message) stanza),
                new AndFilter(MessageTypeFilter.NORMAL_OR_CHAT, MessageWithBodiesFilter.INSTANCE));
        Roster roster = Roster.getInstanceFor(current);
        roster.setSubscriptionMode(Roster.SubscriptionMode.manual);
        contacts.attach(roster);
        current.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                connectionLost(e);
            }
        });
    }

    private void deliver(Message message) {
        EntityBareJid from = message.getFrom() == null ? null : message.getFrom().asEntityBareJidIfPossible();
        if (from == null) {
            return;
        }
        ChatMessage received = new ChatMessage(from, message.getFrom(), message.getBody(), message.getStanzaId());
        for (Consumer<ChatMessage> listener : messageListeners) {
            listener.accept(received);
        }
    }

    private void connectionLost(Exception cause) {
        boolean retry;
        synchronized (outbox) {
            if (state != State.ONLINE) {
                return;
            }
            retry = reconnect.enabled() && !endsForGood(cause);
            state = retry ? State.RECONNECTING : State.CLOSED;
        }
        fire(ConnectionEvent.CONNECTION_LOST);
        if (retry) {
            schedule(1);
        } else {
            fire(ConnectionEvent.CLOSED);
        }
    }

    /**
     * A {@code conflict} stream error means another login replaced this session (RFC 6120
     * §4.9.3.3): reconnecting would just kick that one out in turn.
     */
    private static boolean endsForGood(Exception cause) {
        return cause instanceof XMPPException.StreamErrorException streamError
                && streamError.getStreamError().getCondition() == StreamError.Condition.conflict;
    }

    private void schedule(int attempt) {
        try {
            reconnectTimer.schedule(() -> reconnect(attempt), reconnect.delayBefore(attempt).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // close() stopped the timer: nothing to reconnect for.
        }
    }

    private void reconnect(int attempt) {
        synchronized (lock) {
            if (state != State.RECONNECTING) {
                return;
            }
            AbstractXMPPConnection current = connection;
            try {
                if (!current.isConnected()) {
                    current.connect();
                }
                // Resumes the XEP-0198 session when possible, else binds a new one and resends
                // what the server had not acknowledged.
                current.login();
            } catch (SASLErrorException e) {
                // The password changed or the account is gone: retrying cannot succeed.
                state = State.CLOSED;
                current.disconnect();
                fire(ConnectionEvent.CLOSED);
                return;
            } catch (SmackException.AlreadyLoggedInException e) {
                // Logged in already: fall through to "online".
            } catch (Exception e) {
                current.disconnect();
                schedule(attempt + 1);
                return;
            }
            online(true);
        }
    }

    private boolean isLoopback() {
        try {
            return java.net.InetAddress.getByName(transport.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void fire(ConnectionEvent event) {
        for (Consumer<ConnectionEvent> listener : connectionListeners) {
            listener.accept(event);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
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

        /** How long to wait for the server's answer to a request (default: 10 seconds). */
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
