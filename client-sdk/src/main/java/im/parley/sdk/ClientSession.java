package im.parley.sdk;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;

/**
 * The session of a {@link ChatClient} over its life (new, online, reconnecting, closed), its
 * connection, and what the user sends through it: while the client reconnects, messages and the
 * user's status wait in the {@link Outbox} (RFC 6121 §4.2, §5.2.2) and go out once the session is
 * back. Its end is bounded: closing takes no lock, and logging out gets at most the reply timeout.
 */
final class ClientSession {

    enum State { NEW, ONLINE, RECONNECTING, CLOSED }

    private final EntityBareJid jid;
    private final Reconnect reconnect;
    private final ClientListeners listeners;
    private final ExecutorService asyncExecutor;
    private final Duration replyTimeout;
    /** Guarded by itself, together with the transitions to ONLINE and RECONNECTING. */
    private final Outbox outbox = new Outbox();
    /** Changes under the outbox's monitor, except to CLOSED: {@link ChatClient#close()} takes no lock. */
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile AbstractXMPPConnection connection;

    ClientSession(EntityBareJid jid, Reconnect reconnect, ClientListeners listeners, ExecutorService asyncExecutor,
                  Duration replyTimeout) {
        this.jid = jid;
        this.reconnect = reconnect;
        this.listeners = listeners;
        this.asyncExecutor = asyncExecutor;
        this.replyTimeout = replyTimeout;
    }

    /** The connection, or null before the first login attempt created it. */
    AbstractXMPPConnection connection() {
        return connection;
    }

    /** The connection the first login attempt created, used from then on. */
    void use(AbstractXMPPConnection created) {
        connection = created;
    }

    boolean isOnline() {
        return state.get() == State.ONLINE;
    }

    AbstractXMPPConnection requireConnection() throws ChatException {
        AbstractXMPPConnection current = connection;
        State now = state.get();
        if (current == null || now == State.NEW || now == State.CLOSED) {
            throw new ChatException(jid + " is not logged in");
        }
        return current;
    }

    void requireNew() throws ChatException {
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

    /** See {@link ChatClient#send(EntityBareJid, String)}. */
    String send(EntityBareJid to, String body) throws ChatException {
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
                if (!reconnect.enabled()) {
                    throw SmackErrors.request(e, "sending to " + to);
                }
                outbox.queue(message);
            } catch (InterruptedException e) {
                throw SmackErrors.request(e, "sending to " + to);
            }
        }
        return message.getStanzaId();
    }

    /** See {@link ChatClient#setStatus(Availability, String)}. */
    void setStatus(Availability availability, String status) throws ChatException {
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

    /** A new session's initial presence: the user's status, or plain available if none was set. */
    Presence initialPresence(AbstractXMPPConnection current) {
        synchronized (outbox) {
            return outbox.initialPresence(Presences.toStanza(current, Availability.AVAILABLE, null));
        }
    }

    /** After login: online, unless {@link ChatClient#close()} came first; then the new session is dropped. */
    void onlineOrClosed(AbstractXMPPConnection current) throws ChatException {
        if (!online(false)) {
            current.instantShutdown();
            throw closedException();
        }
    }

    /**
     * The session is up (again): flush what waited and tell the listeners. False, changing
     * nothing, if the client was closed meanwhile.
     */
    boolean online(boolean afterReconnect) {
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

    /** See {@link Reconnector.Session#lost}. */
    boolean lost(boolean retry) {
        synchronized (outbox) {
            return state.compareAndSet(State.ONLINE, retry ? State.RECONNECTING : State.CLOSED);
        }
    }

    boolean awaitsReconnection() {
        return state.get() == State.RECONNECTING;
    }

    /** See {@link Reconnector.Session#refused}. */
    boolean refused() {
        return state.compareAndSet(State.RECONNECTING, State.CLOSED);
    }

    /** Closes the session at once, without a lock; the state it was in, to know how to end the connection. */
    State close() {
        return state.getAndSet(State.CLOSED);
    }

    /**
     * Releases the connection of a session just closed: when it was online, the logout gets at
     * most the reply timeout; in any other state (logging in, reconnecting) it is dropped at once.
     */
    void release(State previous) {
        AbstractXMPPConnection current = connection;
        if (current != null) {
            if (previous == State.ONLINE) {
                logOut(current);
            } else {
                // Logging in or reconnecting: there is no session to log out of.
                drop(current);
            }
        }
    }

    /**
     * Logs out on another thread, so that a connection whose monitor another thread holds, or
     * whose server does not answer, cannot keep {@link ChatClient#close()} waiting beyond the reply timeout.
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
}
