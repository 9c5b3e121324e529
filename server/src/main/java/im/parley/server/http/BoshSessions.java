package im.parley.server.http;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.c2s.C2sContext;
import im.parley.server.config.HttpConfig;
import im.parley.server.net.PerAddressCounter;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live BOSH sessions by {@code sid}, and their creation (XEP-0124 §7): the session ids are
 * 128 random bits, so they cannot be guessed (§7.1 requires them to be unpredictable), at most
 * {@code bosh.max_sessions} exist at once, and at most {@code bosh.max_sessions_per_address}
 * of them belong to one client address, so that no one address can lock everyone else out.
 */
public final class BoshSessions {

    private static final Logger LOG = LoggerFactory.getLogger(BoshSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a session was granted, in seconds (XEP-0124 §7.2). */
    record Grant(long waitSeconds, int hold, long inactivitySeconds, long maxPauseSeconds, long pollingSeconds,
                 long maxQueuedBytes) {
    }

    private final Map<String, BoshSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final C2sContext context;
    private final HttpConfig config;
    private final EventLoopGroup loops;
    private final PerAddressCounter perAddress;

    BoshSessions(C2sContext context, HttpConfig config, EventLoopGroup loops, ClientAddresses clients) {
        this.context = context;
        this.config = config;
        this.loops = loops;
        this.perAddress = new PerAddressCounter(config.bosh().maxSessionsPerAddress(), clients::isTrustedProxy);
    }

    /** The number of live sessions. */
    public int size() {
        return count.get();
    }

    /** True while the session with this id exists. */
    public boolean isLive(String sid) {
        return sessions.containsKey(sid);
    }

    BoshSession get(String sid) {
        return sessions.get(sid);
    }

    /** XEP-0124 §7.1 and XEP-0206 §4: a request without {@code sid} creates a session. */
    void create(BoshRequest request, InetAddress address, boolean secure) {
        BoshBody body = request.body();
        if (body.to() == null || body.waitSeconds().isEmpty() && body.body().attributeValue("wait") != null
                || body.hold().isEmpty() && body.body().attributeValue("hold") != null) {
            request.respond(BoshResponses.terminate("bad-request"));
            return;
        }
        if (!isHosted(body.to())) {
            request.respond(BoshResponses.terminate("host-unknown"));
            return;
        }
        if (!admit(address)) {
            // XEP-0124 §17.1: policy-violation, "the client has broken the session rules".
            request.respond(BoshResponses.terminate("policy-violation"));
            return;
        }
        HttpConfig.BoshConfig limits = config.bosh();
        long maxWait = limits.maxWait().toSeconds();
        Grant grant = new Grant(Math.max(1, Math.min(body.waitSeconds().orElse(maxWait), maxWait)),
                (int) Math.min(body.hold().orElse(1), limits.maxHold()),
                Math.max(1, limits.inactivity().toSeconds()), limits.maxPause().toSeconds(),
                limits.polling().toSeconds(), limits.maxQueuedBytes());
        boolean clientAcks = body.ack().orElse(0) == 1;
        String sid = newSid();
        BoshSession session = new BoshSession(sid, this, loops.next(), context, context.features().newNegotiators(),
                grant, address, secure, request.rid(), clientAcks);
        sessions.put(sid, session);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("xmlns:xmpp", BoshBody.XBOSH);
        attributes.put("wait", Long.toString(grant.waitSeconds()));
        attributes.put("inactivity", Long.toString(grant.inactivitySeconds()));
        attributes.put("polling", Long.toString(grant.pollingSeconds()));
        attributes.put("requests", Integer.toString(grant.hold() + 1));
        attributes.put("hold", Integer.toString(grant.hold()));
        attributes.put("maxpause", Long.toString(grant.maxPauseSeconds()));
        attributes.put("ver", BoshSession.VERSION);
        attributes.put("xmpp:version", "1.0");
        attributes.put("xmpp:restartlogic", "true");
        session.executor().execute(() -> session.start(request, attributes));
    }

    void remove(BoshSession session) {
        if (sessions.remove(session.sid(), session)) {
            count.decrementAndGet();
            perAddress.release(session.address());
        }
    }

    /** Takes a place for a new session from {@code address}, within both limits; false if none is left. */
    private boolean admit(InetAddress address) {
        if (!perAddress.tryAcquire(address)) {
            LOG.debug("{}: BOSH session refused, {} sessions from this address", address, perAddress.count(address));
            return false;
        }
        if (count.incrementAndGet() > config.bosh().maxSessions()) {
            count.decrementAndGet();
            perAddress.release(address);
            LOG.debug("{}: BOSH session refused, {} sessions in all", address, count.get());
            return false;
        }
        return true;
    }

    private boolean isHosted(String to) {
        try {
            return context.domains().contains(Jids.parseDomain(to));
        } catch (JidMalformedException e) {
            return false;
        }
    }

    private static String newSid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
