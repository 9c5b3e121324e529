package im.parley.s2s;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Bounces;
import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaIntake;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.core.tls.KeyMaterial;
import im.parley.s2s.dialback.PendingVerification;
import im.parley.s2s.dns.MinidnsSrvLookup;
import im.parley.s2s.dns.S2sResolver;
import im.parley.s2s.tls.S2sTls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-to-server federation behind the {@link RemoteRouter} seam: one outbound stream per
 * (local domain, remote domain) pair, created on demand (RFC 6120 §13.1 and DESIGN.md "one
 * message, hop by hop", step 6), and the inbound streams accepted by {@link S2sChannelInitializer}.
 * Stanzas arriving from remote domains and error bounces go to the local router.
 */
public final class S2sRouter implements RemoteRouter {

    private static final Logger LOG = LoggerFactory.getLogger(S2sRouter.class);
    private static final CompletableFuture<Void> ROOM = CompletableFuture.completedFuture(null);

    private final S2sSettings settings;
    private final EventLoopGroup eventLoops;
    private final Executor blocking;
    private final S2sResolver resolver;
    private final S2sTls tls;
    private final OutboundConnector connector;
    private final Map<DomainPair, OutboundStream> outbound = new ConcurrentHashMap<>();
    private final AtomicInteger inbound = new AtomicInteger();
    private final Set<DomainBareJid> services = ConcurrentHashMap.newKeySet();
    private volatile StanzaRouter local;
    private volatile StanzaIntake intake = StanzaIntake.UNBOUNDED;

    /**
     * @param settings federation settings
     * @param eventLoops where outbound connections run (the server's I/O group)
     * @param channelClass the socket channel class of that group (NIO or epoll)
     * @param blocking executor for DNS lookups, never an event loop
     */
    public S2sRouter(S2sSettings settings, EventLoopGroup eventLoops, Class<? extends SocketChannel> channelClass,
                     Executor blocking) throws SSLException {
        this(settings, eventLoops, channelClass, blocking,
                new S2sResolver(settings.staticRoutes(), new MinidnsSrvLookup(), new SecureRandom()));
    }

    public S2sRouter(S2sSettings settings, EventLoopGroup eventLoops, Class<? extends SocketChannel> channelClass,
                     Executor blocking, S2sResolver resolver) throws SSLException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.eventLoops = eventLoops;
        this.blocking = blocking;
        this.resolver = resolver;
        this.tls = new S2sTls(settings.keys());
        this.connector = new OutboundConnector(eventLoops, channelClass, settings);
    }

    /**
     * Bounds the stanzas from peers still being handled (RFC 6120 §13.12): past the bound, an
     * inbound stream whose stanza adds to them is read no further until admitted. Unbounded
     * unless set; set it before {@link #start}.
     */
    public void limitIntake(StanzaIntake limit) {
        this.intake = Objects.requireNonNull(limit, "limit");
    }

    @Override
    public void start(StanzaRouter localRouter) {
        this.local = Objects.requireNonNull(localRouter, "localRouter");
    }

    /**
     * Makes {@code service}, a domain of this server's own (a component host such as the group
     * chat service {@code conference.example.org}), an s2s endpoint like a hosted domain: peers
     * may open streams to it and authenticate for it, and its stanzas to remote domains leave on
     * outbound streams of their own domain pair (XEP-0220 §2: each pair is authenticated by
     * itself; here one pair per outbound stream, never multiplexed on the hosted domain's). Its
     * TLS streams present {@code key}.
     */
    public void serve(DomainBareJid service, KeyMaterial key) throws SSLException {
        tls.add(service, key);
        services.add(service);
    }

    /**
     * Presents new key material for domains this router already serves (a certificate reload);
     * keys of other domains are ignored. Streams open now keep the certificate they were set up with.
     */
    public void replaceCertificates(Map<DomainBareJid, KeyMaterial> keys) throws SSLException {
        for (Map.Entry<DomainBareJid, KeyMaterial> entry : keys.entrySet()) {
            if (tls.server(entry.getKey()).isPresent()) {
                tls.add(entry.getKey(), entry.getValue());
            }
        }
    }

    /** The pipeline for inbound connections on the s2s port, or on the direct TLS port (XEP-0368). */
    public S2sChannelInitializer inboundInitializer(boolean directTls) {
        return new S2sChannelInitializer(this, directTls);
    }

    @Override
    public void route(Stanza stanza) {
        route(stanza, Handling.none());
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        Jid to = stanza.to();
        Jid from = stanza.from();
        if (to == null || from == null || !isLocal(from.asDomainBareJid())) {
            // The router only hands over stanzas for remote domains; one from elsewhere would be
            // a relay, which RFC 6120 §13.1 rules out.
            LOG.debug("not relaying {} from {} to {}", stanza.kind(), from, to);
            bounce(stanza, StanzaErrorCondition.NOT_ALLOWED);
            return;
        }
        DomainPair pair = new DomainPair(from.asDomainBareJid(), to.asDomainBareJid());
        while (true) {
            OutboundStream stream = outbound.computeIfAbsent(pair, p -> new OutboundStream(p, this));
            if (stream.offer(stanza, handling)) {
                return;
            }
            // The stream closed between lookup and offer (idle timeout); a fresh one takes it.
            outbound.remove(pair, stream);
        }
    }

    /**
     * Asks the authoritative server of {@code pair.remote()} whether a dialback key it sent on
     * one of our inbound streams is genuine (XEP-0220 §2.1.2), over our outbound stream to it.
     * Completes with false on a negative answer, a failure or a timeout.
     */
    CompletionStage<Boolean> verifyDialback(DomainPair pair, String streamId, String key) {
        PendingVerification verification = new PendingVerification(pair.local().toString(), pair.remote().toString(),
                streamId, key);
        while (true) {
            OutboundStream stream = outbound.computeIfAbsent(pair, p -> new OutboundStream(p, this));
            if (stream.offer(verification)) {
                break;
            }
            outbound.remove(pair, stream);
        }
        CompletableFuture<Boolean> answer = verification.answer();
        long timeout = settings.connectTimeout().toMillis() * 2;
        eventLoops.next().schedule(() -> answer.complete(false), timeout, TimeUnit.MILLISECONDS);
        return answer;
    }

    /**
     * Routes a stanza a peer sent to a local domain, as part of a handling of its own; returns
     * what its stream waits for before reading more ({@link #limitIntake}): complete at once when
     * its routing finished, or when the stanzas from peers in flight are within the bound.
     */
    CompletableFuture<Void> deliverInbound(Stanza stanza) {
        StanzaRouter router = local;
        if (router == null) {
            return ROOM;
        }
        Handling handling = Handling.begin();
        router.route(stanza, handling);
        handling.end();
        return handling.isComplete() ? ROOM : intake.admit(handling.completion());
    }

    /**
     * Sends the error reply to the local sender under the server's one set of bounce rules
     * ({@link Bounces}: errors and IQ responses are never answered, RFC 6120 §8.3.1, §8.2.3).
     */
    void bounce(Stanza stanza, StanzaErrorCondition condition) {
        bounce(stanza, StanzaError.of(condition));
    }

    /** {@link #bounce(Stanza, StanzaErrorCondition)} with an error of its own type and text. */
    void bounce(Stanza stanza, StanzaError error) {
        StanzaRouter router = local;
        if (router != null) {
            Bounces.reply(stanza, error).ifPresent(router::route);
        }
    }

    /** Removes a stream that ended from the table (only if it is still the current one). */
    void forget(OutboundStream stream) {
        outbound.remove(stream.pair(), stream);
    }

    /**
     * The outbound stream of a pair, for tests and admin tools: {@code NONE}, {@code CONNECTING},
     * or {@code ESTABLISHED by sasl-external} / {@code ESTABLISHED by dialback}.
     */
    public String outboundStatus(String localDomain, String remoteDomain) {
        try {
            OutboundStream stream = outbound.get(new DomainPair(Jids.parseDomain(localDomain),
                    Jids.parseDomain(remoteDomain)));
            if (stream == null) {
                return "NONE";
            }
            String by = stream.authenticatedBy();
            return stream.state().name() + (by == null ? "" : " by " + by);
        } catch (im.parley.core.jid.JidMalformedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Inbound server-to-server connections open now, authenticated or not (for metrics). */
    public int inboundStreams() {
        return inbound.get();
    }

    /** Outbound streams, one per domain pair, established or being set up (for metrics). */
    public int outboundStreams() {
        return outbound.size();
    }

    /** Stanzas waiting for their outbound stream to be set up, over every domain pair (for metrics). */
    public int queuedStanzas() {
        int queued = 0;
        for (OutboundStream stream : outbound.values()) {
            queued += stream.queued();
        }
        return queued;
    }

    void inboundOpened() {
        inbound.incrementAndGet();
    }

    void inboundClosed() {
        inbound.decrementAndGet();
    }

    @Override
    public void stop() {
        for (OutboundStream stream : outbound.values()) {
            stream.shutdown();
        }
        outbound.clear();
        local = null;
    }

    S2sSettings settings() {
        return settings;
    }

    S2sTls tls() {
        return tls;
    }

    EventLoopGroup eventLoops() {
        return eventLoops;
    }

    Executor blocking() {
        return blocking;
    }

    S2sResolver resolver() {
        return resolver;
    }

    OutboundConnector connector() {
        return connector;
    }

    /** True for the hosted domains and the service domains this server serves over s2s. */
    boolean isLocal(DomainBareJid domain) {
        return settings.isLocal(domain) || services.contains(domain);
    }
}
