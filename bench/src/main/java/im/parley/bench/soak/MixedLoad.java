package im.parley.bench.soak;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.StreamManagement;
import im.parley.bench.client.XmppClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.dom4j.Element;

/**
 * The authenticated half of a soak: about {@link UserLoad#online()} of the users are logged in
 * at any time, each session for a random while. A session ends by logging out (RFC 6120 §4.4),
 * by losing its connection for good, or, with stream management, by losing it and resuming a
 * few seconds later on a new connection (XEP-0198 §5); another user then logs in. Meanwhile
 * {@link UserTraffic} has the sessions chat, change status and send IQs.
 *
 * <p>All session state belongs to the soak's driver thread, which calls {@link #tick}; what the
 * clients report from their event loops is queued for it.
 */
final class MixedLoad implements ClientEvents {

    /** How a session ends; chosen when it becomes ready. */
    private enum Ending { LOGOUT, DROP, DROP_AND_RESUME }

    private enum Phase { CONNECTING, READY, DROPPED, RESUMING }

    private static final class Session {
        final int user;
        XmppClient client;
        Phase phase = Phase.CONNECTING;
        Ending ending;
        long deadlineNanos;
        int readyIndex = -1;

        Session(int user) {
            this.user = user;
        }
    }

    private final UserLoad load;
    private final ClientOptions options;
    private final LoadClients clients;
    private final SoakCounters counters;
    private final UserTraffic traffic;
    private final Random random = new Random();
    private final Session[] sessions;
    /** Users not logged in, in any order, in the first {@code offlineCount} places. */
    private final int[] offline;
    private int offlineCount;
    private final List<Session> ready = new ArrayList<>();
    private final List<Session> dropped = new ArrayList<>();
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final Rate logins;
    /** Published at the end of each tick for the sampler's thread. */
    private volatile int onlineNow;
    private volatile int resumingNow;

    MixedLoad(UserLoad load, ClientOptions options, LoadClients clients, SoakCounters counters, long startNanos) {
        this.load = load;
        this.options = options;
        this.clients = clients;
        this.counters = counters;
        this.traffic = new UserTraffic(load, options, counters, this, startNanos);
        this.sessions = new Session[load.users() + 1];
        this.offline = new int[load.users()];
        for (int user = 1; user <= load.users(); user++) {
            offline[offlineCount++] = user;
        }
        this.logins = new Rate(load.loginRate(), startNanos);
    }

    /** Ends sessions that are due, resumes dropped ones, logs users in, sends the traffic. */
    void tick(long now) {
        for (Runnable event; (event = inbox.poll()) != null; ) {
            event.run();
        }
        for (int i = ready.size() - 1; i >= 0; i--) {
            Session session = ready.get(i);
            if (now - session.deadlineNanos >= 0) {
                end(session, now);
            }
        }
        for (int i = dropped.size() - 1; i >= 0; i--) {
            Session session = dropped.get(i);
            if (now - session.deadlineNanos >= 0) {
                dropped.remove(i);
                resume(session);
            }
        }
        int budget = logins.due(now);
        while (budget-- > 0 && load.users() - offlineCount < load.online()) {
            login(takeOffline(random.nextInt(offlineCount)));
        }
        traffic.tick(now);
        onlineNow = ready.size();
        resumingNow = dropped.size();
    }

    /** Logged-in sessions at the last tick; any thread. */
    int online() {
        return onlineNow;
    }

    /** Sessions whose connection was dropped and that wait to resume, at the last tick; any thread. */
    int waitingToResume() {
        return resumingNow;
    }

    /** A random logged-in session's client, or null if none is; driver thread. */
    XmppClient randomReady() {
        return ready.isEmpty() ? null : ready.get(random.nextInt(ready.size())).client;
    }

    /** A random user that is not logged in, or 0 if all are. */
    int randomOffline() {
        return offlineCount == 0 ? 0 : offline[random.nextInt(offlineCount)];
    }

    /** Logs every session out (the end of the run). */
    void logoutAll() {
        ready.forEach(session -> session.client.close());
    }

    private void login(int user) {
        Session session = new Session(user);
        sessions[user] = session;
        StreamManagement sm = random.nextDouble() < load.smShare() ? StreamManagement.enableWithResumption() : null;
        session.client = clients.connect(user, options, this, sm);
    }

    private void resume(Session session) {
        session.phase = Phase.RESUMING;
        session.client = clients.connect(session.user, options, this, session.client.sm().resumption());
    }

    private void end(Session session, long now) {
        removeReady(session);
        XmppClient client = session.client;
        switch (session.ending) {
            case LOGOUT -> {
                client.close();
                counters.logouts.increment();
                setOffline(session);
            }
            case DROP -> {
                client.drop();
                counters.drops.increment();
                setOffline(session);
            }
            case DROP_AND_RESUME -> {
                client.drop();
                counters.drops.increment();
                session.phase = Phase.DROPPED;
                session.deadlineNanos = now + (long) ((0.5 + random.nextDouble()) * load.resumeSeconds() * 1e9);
                dropped.add(session);
            }
        }
    }

    private void onReady(XmppClient client) {
        Session session = sessions[client.user()];
        if (session == null || session.client != client) {
            return;
        }
        if (session.phase == Phase.RESUMING) {
            counters.resumptions.increment();
        } else {
            counters.logins.increment();
        }
        session.phase = Phase.READY;
        session.ending = chooseEnding(client.sm());
        session.deadlineNanos = System.nanoTime()
                + (long) ((0.5 + random.nextDouble()) * load.sessionSeconds() * 1e9);
        session.readyIndex = ready.size();
        ready.add(session);
    }

    private void onFailed(XmppClient client, String reason) {
        Session session = sessions[client.user()];
        if (session == null || session.client != client) {
            return;
        }
        counters.error((session.phase == Phase.READY ? "session lost: " : "login failed: ") + reason);
        removeReady(session);
        setOffline(session);
    }

    /** Half of the managed sessions resume, a quarter are lost, a quarter log out; others mostly log out. */
    private Ending chooseEnding(StreamManagement sm) {
        double draw = random.nextDouble();
        if (sm == null || !sm.isResumable()) {
            return draw < 0.8 ? Ending.LOGOUT : Ending.DROP;
        }
        return draw < 0.5 ? Ending.DROP_AND_RESUME : draw < 0.75 ? Ending.DROP : Ending.LOGOUT;
    }

    private void removeReady(Session session) {
        int i = session.readyIndex;
        if (i < 0) {
            return;
        }
        Session last = ready.remove(ready.size() - 1);
        if (last != session) {
            ready.set(i, last);
            last.readyIndex = i;
        }
        session.readyIndex = -1;
    }

    private int takeOffline(int index) {
        int user = offline[index];
        offline[index] = offline[--offlineCount];
        return user;
    }

    private void setOffline(Session session) {
        sessions[session.user] = null;
        offline[offlineCount++] = session.user;
    }

    @Override
    public void ready(XmppClient client) {
        inbox.add(() -> onReady(client));
    }

    @Override
    public void failed(XmppClient client, String reason) {
        inbox.add(() -> onFailed(client, reason));
    }

    @Override
    public void messageReceived(XmppClient client, long latencyNanos) {
        counters.messagesReceived.increment();
    }

    @Override
    public void messageError(XmppClient client, Element message) {
        traffic.messageError(message);
    }

    @Override
    public void presenceReceived(XmppClient client, Element presence) {
        counters.presencesReceived.increment();
    }

    @Override
    public void iqAnswered(XmppClient client, Element iq) {
        traffic.iqAnswered(iq);
    }
}
