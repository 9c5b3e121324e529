package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.InMemoryCredentials;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.core.stream.Stanzas;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.c2s.IntakeLimit;
import im.parley.server.config.HttpConfig;
import im.parley.server.config.LimitsConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.host.HostRegistry;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.ModuleEnvironment;
import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.routing.TurnTimeouts;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.RouteTable;
import im.parley.server.tls.ServerTls;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.jxmpp.jid.DomainBareJid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure over BOSH (RFC 6120 §13.12, XEP-0124 §11): past the server's bound on stanzas in
 * flight ({@link IntakeLimit}), the client's next request waits in the session's window with its
 * payload unread, as a TCP client's bytes wait in its connection, and is processed, in order,
 * once a stanza is handled. Driven on one embedded event loop, each request on its own embedded
 * HTTP connection.
 */
class BoshReadPauseTest {

    private static final String SLOW = "urn:parley:test:slow";

    private final DomainBareJid domain;
    private final HostRegistry hosts;
    private final TurnTimeouts timeouts = new TurnTimeouts();
    /** The answers to IQs in {@link #SLOW}, given when the test says so. */
    private final Queue<Runnable> slowAnswers = new ArrayDeque<>();
    /** A bound of two stanzas in flight, so that three show it. */
    private final IntakeLimit intake = new IntakeLimit(2);
    /** Runs the session's event loop: its tasks run when the test runs them. */
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final BoshSessions sessions;
    private long rid = 1000;
    private String sid;

    BoshReadPauseTest() throws Exception {
        domain = Jids.parseDomain("parley.test");
        hosts = new HostRegistry(Set.of(domain));
        RouteTable routes = new InMemoryRouteTable(hosts);
        AccountSequencer sequencer = new AccountSequencer();
        DefaultStanzaRouter router = new DefaultStanzaRouter(hosts, routes, List.of(), sequencer, timeouts);
        C2sFeatures features = new C2sFeatures();
        DefaultModuleContext modules = new DefaultModuleContext(
                new DefaultModuleContext.Shared(hosts, router, routes, Runnable::run, null, sequencer,
                        new HttpServices(), new ServerMetrics(List.of())),
                hosts.find(domain).orElseThrow(),
                new ModuleEnvironment(ParleyConfig.defaults(), Clock.systemUTC(), "test", features, null));
        new DeliveryModule().load(modules);
        modules.handleAccountIq(SLOW, iq -> {
            CompletableFuture<org.dom4j.Element> answer = new CompletableFuture<>();
            slowAnswers.add(() -> answer.complete(Stanzas.iqResult(iq.element())));
            return answer;
        });
        InMemoryCredentials credentials = new InMemoryCredentials().addPassword("parley.test", "romeo", "secret", 64);
        LimitsConfig limits = new LimitsConfig(8192, 262144, 64, Duration.ofSeconds(60), 50, Duration.ofMinutes(1));
        C2sContext context = new C2sContext(Set.of(domain), false, new ServerTls(Map.of(), Map.of(), domain),
                SaslMechanisms.defaults(), credentials,
                new AuthFailureThrottle(50, Duration.ofMinutes(1), Clock.systemUTC()), Runnable::run, routes, router,
                limits, hosts, features, new ServerMetrics(List.of("PLAIN")), intake);
        sessions = new BoshSessions(context, HttpConfig.defaults(), loop.eventLoop(), new ClientAddresses(List.of()));
    }

    @AfterEach
    void close() {
        timeouts.close();
        loop.finishAndReleaseAll();
    }

    @Test
    void pastTheBoundOnStanzasInFlightTheNextRequestWaitsUnreadUntilOneIsHandled_rfc6120_13_12() {
        login();
        // One long poll held, as a BOSH client keeps (XEP-0124 §7, hold 1).
        EmbeddedChannel poll = send("");
        // Three stanzas in flight against a bound of two (s2 and s3 wait in the account's turn
        // behind s1): the stream pauses its input.
        EmbeddedChannel first = send(slowIq("s1") + slowIq("s2") + slowIq("s3"));
        assertThat(intake.inFlight()).isEqualTo(3);

        // The client's next request, within its two (XEP-0124 §11), is not read while paused.
        EmbeddedChannel second = send(slowIq("s4"));
        assertThat(intake.inFlight()).as("s4 is not read yet").isEqualTo(3);
        assertThat(sessions.isLive(sid)).as("no policy-violation: the client kept to its requests").isTrue();

        // s1 answered: two in flight, within the bound; the waiting request is read.
        slowAnswers.poll().run();
        loop.runPendingTasks();
        assertThat(intake.inFlight()).as("s2, s3 and now s4").isEqualTo(3);
        while (!slowAnswers.isEmpty()) {
            slowAnswers.poll().run();
            loop.runPendingTasks();
        }
        assertThat(intake.inFlight()).isZero();

        // Nothing was lost, and the answers kept the client's order (RFC 6120 §10.1).
        String answered = responses(poll) + responses(first) + responses(second) + responses(send(""));
        String ids = Pattern.compile("<iq[^>]*id=[\"'](s\\d)[\"']").matcher(answered).results()
                .map(match -> match.group(1)).reduce("", String::concat);
        assertThat(ids).isEqualTo("s1s2s3s4");
    }

    private static String slowIq(String id) {
        return "<iq xmlns='jabber:client' type='get' id='" + id + "' to='romeo@parley.test'><q xmlns='" + SLOW + "'/></iq>";
    }

    /** Creates the session, authenticates with PLAIN (the session counts as secure), restarts and binds. */
    private void login() {
        EmbeddedChannel creation = request("<body xmlns='" + BoshBody.NAMESPACE + "' xmlns:xmpp='" + BoshBody.XBOSH
                + "' rid='" + rid + "' to='parley.test' wait='60' hold='1' xmpp:version='1.0'/>");
        sessions.create(new BoshRequest(rid, body(creation), creation, true), InetAddress.getLoopbackAddress(), true);
        loop.runPendingTasks();
        String created = responses(creation);
        sid = Pattern.compile("sid=[\"']([^\"']+)[\"']").matcher(created).results().findFirst().orElseThrow().group(1);
        String plain = Base64.getEncoder().encodeToString("\0romeo\0secret".getBytes(StandardCharsets.UTF_8));
        assertThat(responses(send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>")))
                .contains("<success");
        assertThat(responses(sendBody(" xmpp:restart='true'", ""))).contains("<bind");
        assertThat(responses(send("<iq xmlns='jabber:client' type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>pc</resource></bind></iq>"))).contains("romeo@parley.test/pc");
    }

    private EmbeddedChannel send(String payload) {
        return sendBody("", payload);
    }

    /** The next request of the session, with more attributes and a payload; its HTTP connection. */
    private EmbeddedChannel sendBody(String attributes, String payload) {
        rid++;
        EmbeddedChannel connection = request("<body xmlns='" + BoshBody.NAMESPACE + "' xmlns:xmpp='" + BoshBody.XBOSH
                + "' rid='" + rid + "' sid='" + sid + "' to='parley.test'" + attributes + ">" + payload + "</body>");
        sessions.get(sid).receive(new BoshRequest(rid, body(connection), connection, true));
        loop.runPendingTasks();
        return connection;
    }

    /** An HTTP connection with the body it carries as its attribute, for {@link #body}. */
    private static EmbeddedChannel request(String xml) {
        EmbeddedChannel connection = new EmbeddedChannel();
        connection.attr(BODY).set(xml);
        return connection;
    }

    private static final io.netty.util.AttributeKey<String> BODY = io.netty.util.AttributeKey.valueOf("bosh-test-body");

    private static BoshBody body(EmbeddedChannel connection) {
        try {
            return BoshBody.of(DocumentHelper.parseText(connection.attr(BODY).get()).getRootElement());
        } catch (DocumentException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What the server answered on a connection so far. */
    private static String responses(EmbeddedChannel connection) {
        StringBuilder out = new StringBuilder();
        for (Object message = connection.readOutbound(); message != null; message = connection.readOutbound()) {
            FullHttpResponse response = (FullHttpResponse) message;
            out.append(response.content().toString(StandardCharsets.UTF_8));
            response.release();
        }
        return out.toString();
    }
}
