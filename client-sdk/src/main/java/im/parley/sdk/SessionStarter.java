package im.parley.sdk;

import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jxmpp.jid.EntityBareJid;

/**
 * Starts the sessions of a {@link ChatClient}: the first by login or in-band registration (RFC
 * 6120 §5-§7, XEP-0077 §3.1), each later one through its {@link Reconnector}, one at a time under
 * the client's lock. Every new session announces the user online (RFC 6121 §4.2) before it counts
 * as online.
 */
final class SessionStarter {

    private final EntityBareJid jid;
    private final SessionOpener opener;
    private final ClientSession session;
    private final ClientListeners listeners;
    private final Contacts contacts;
    /** Serializes login, registration and reconnection attempts; {@link ChatClient#close()} never waits for it. */
    private final Object lock = new Object();
    private final Reconnector reconnector;

    SessionStarter(EntityBareJid jid, SessionOpener opener, ClientSession session, Reconnect reconnect,
                   ClientListeners listeners, Contacts contacts) {
        this.jid = jid;
        this.opener = opener;
        this.session = session;
        this.listeners = listeners;
        this.contacts = contacts;
        this.reconnector = new Reconnector(reconnect, "parley-sdk-reconnect-" + jid, lock, new ReconnectingSession(),
                listeners);
    }

    /** See {@link ChatClient#login()}. */
    void login() throws ChatException {
        session.requireNew(); // at once, even while a login in another thread holds the lock
        synchronized (lock) {
            session.requireNew();
            AbstractXMPPConnection current = connect();
            opener.authenticate(current);
            announce(current);
            session.onlineOrClosed(current);
        }
    }

    /** See {@link ChatClient#register()}. */
    void register() throws ChatException {
        session.requireNew();
        synchronized (lock) {
            session.requireNew();
            AbstractXMPPConnection current = connect();
            opener.register(current);
            opener.authenticate(current);
            announce(current);
            session.onlineOrClosed(current);
        }
    }

    /** No more reconnection: see {@link Reconnector#stop()}. */
    void stop() {
        reconnector.stop();
    }

    /** The connection, created on the first attempt and reused by a retried login. */
    private AbstractXMPPConnection connect() throws ChatException {
        AbstractXMPPConnection current = session.connection();
        if (current == null) {
            current = opener.create();
            listenTo(current);
            session.use(current);
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
        Presence initial = session.initialPresence(current);
        if (initial.getType() != Presence.Type.available) {
            return; // hidden (Availability.OFFLINE): the new session stays unavailable, nothing to announce
        }
        opener.announce(current, initial);
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
            return session.lost(retry);
        }

        @Override
        public boolean awaitsReconnection() {
            return session.awaitsReconnection();
        }

        @Override
        public AbstractXMPPConnection connection() {
            return session.connection();
        }

        @Override
        public void announce(AbstractXMPPConnection current) throws Exception {
            announceNewSession(current);
        }

        @Override
        public boolean reconnected() {
            return session.online(true);
        }

        @Override
        public boolean refused() {
            return session.refused();
        }
    }
}
