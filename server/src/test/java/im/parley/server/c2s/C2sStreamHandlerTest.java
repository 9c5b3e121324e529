package im.parley.server.c2s;

import im.parley.server.module.ModuleEnvironment;
import im.parley.server.config.ParleyConfig;
import static org.assertj.core.api.Assertions.assertThat;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import org.dom4j.DocumentHelper;
import org.jxmpp.jid.impl.JidCreate;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.InMemoryCredentials;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.core.sasl.ScramHash;
import im.parley.core.sasl.ScramTestClient;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.server.config.LimitsConfig;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.modules.ping.PingModule;
import im.parley.core.stream.Stanzas;
import im.parley.server.modules.session.LegacySessionModule;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.routing.TurnTimeouts;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.RouteTable;
import im.parley.server.host.HostRegistry;
import im.parley.server.modules.delivery.DeliveryModule;
import java.util.List;
import im.parley.server.tls.ServerTls;
import im.parley.server.http.HttpServices;
import im.parley.server.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jxmpp.jid.DomainBareJid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The c2s stream handler with its negotiation policy, driven byte by byte through
 * {@link EmbeddedChannel} (STYLE.md #7): RFC 6120 §4 (streams), §6 (SASL), §7 (binding), §8.1.2
 * (from stamping). STARTTLS and TLS run in the end-to-end tests; here TLS is not required.
 */
class C2sStreamHandlerTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='parley.test' version='1.0' "
            + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private final DomainBareJid domain = Jids.parseDomain("parley.test");
    private final HostRegistry hosts = new HostRegistry(Set.of(domain));
    private final RouteTable sessions = new InMemoryRouteTable(hosts);
    private final C2sContext context;
    private final TurnTimeouts timeouts = new TurnTimeouts();
    /** The blocking executor: runs at once unless a test holds its tasks ({@link #holdBlockingWork}). */
    private final java.util.Queue<Runnable> heldBlockingWork = new java.util.ArrayDeque<>();
    private boolean holdBlockingWork;
    /** A namespace whose IQs to an account are answered only when the test says so. */
    private static final String SLOW = "urn:parley:test:slow";
    private final java.util.Queue<Runnable> slowAnswers = new java.util.ArrayDeque<>();
    /** A bound of two stanzas in flight, so that three show it. */
    private final IntakeLimit intake = new IntakeLimit(2);

    @AfterEach
    void stopTimeouts() {
        timeouts.close();
    }

    C2sStreamHandlerTest() throws Exception {
        AccountSequencer sequencer = new AccountSequencer();
        DefaultStanzaRouter router = new DefaultStanzaRouter(hosts, sessions, List.of(), sequencer, timeouts);
        C2sFeatures features = new C2sFeatures();
        DefaultModuleContext modules = new DefaultModuleContext(
                new DefaultModuleContext.Shared(hosts, router, sessions, Runnable::run, null, sequencer,
                        new HttpServices(), new ServerMetrics(List.of())),
                hosts.find(domain).orElseThrow(),
                new ModuleEnvironment(ParleyConfig.defaults(), Clock.systemUTC(), "test", features, null));
        new DeliveryModule().load(modules);
        new PingModule().load(modules);
        new LegacySessionModule().load(modules);
        modules.handleAccountIq(SLOW, iq -> {
            CompletableFuture<org.dom4j.Element> answer = new CompletableFuture<>();
            slowAnswers.add(() -> answer.complete(Stanzas.iqResult(iq.element())));
            return answer;
        });
        InMemoryCredentials credentials = new InMemoryCredentials()
                .addPassword("parley.test", "romeo", "secret", 64)
                .addPassword("parley.test", "juliet", "secret", 64);
        LimitsConfig limits = new LimitsConfig(8192, 262144, 64, Duration.ofSeconds(60), 50, Duration.ofMinutes(1));
        context = new C2sContext(Set.of(domain), false, new ServerTls(Map.of(), Map.of(), domain),
                SaslMechanisms.defaults(), credentials,
                new AuthFailureThrottle(50, Duration.ofMinutes(1), Clock.systemUTC()), this::blocking, sessions, router,
                limits, hosts, features, new ServerMetrics(List.of("PLAIN")), intake);
    }

    private void blocking(Runnable task) {
        if (holdBlockingWork) {
            heldBlockingWork.add(task);
        } else {
            task.run();
        }
    }

    /** A client connection: bytes in, text out. */
    private final class Client {
        final EmbeddedChannel channel = new EmbeddedChannel(
                new XmppStreamDecoder(new XmlLimits(8192, 64)), new XmppElementEncoder(),
                new C2sStreamHandler(context, context.features().newNegotiators()));

        String send(String xml) {
            channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
            channel.runPendingTasks();
            return output();
        }

        String output() {
            StringBuilder out = new StringBuilder();
            for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
                out.append(buf.toString(StandardCharsets.UTF_8));
                buf.release();
            }
            return out.toString();
        }

        /** SCRAM-SHA-256 login, restart and bind; returns the bound full JID. */
        String login(String user, String resource) {
            send(HEADER);
            authenticate(user, "secret");
            send(HEADER);
            String bound = send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
                    + resource + "</resource></bind></iq>");
            return group(bound, "<jid>([^<]+)</jid>");
        }

        String authenticate(String user, String password) {
            ScramTestClient scram = new ScramTestClient(ScramHash.SHA_256, "n,,", user, "clientnonce" + user);
            String challenge = send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                    + b64(scram.clientFirst()) + "</auth>");
            byte[] serverFirst = Base64.getDecoder().decode(group(challenge, "<challenge[^>]*>([^<]+)</challenge>"));
            return send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                    + b64(scram.clientFinal(serverFirst, password, new byte[0])) + "</response>");
        }
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

    @Test
    void headerIsAnsweredWithHeaderAndFeatures_rfc6120_4_3_2() {
        Client client = new Client();

        String out = client.send(HEADER);

        assertThat(out).contains("<stream:stream").containsAnyOf("from=\"parley.test\"", "from='parley.test'").contains("<stream:features>");
    }

    @Test
    void withoutTlsOnlyScramIsOffered_rfc6120_6_4_1() {
        String out = new Client().send(HEADER);

        assertThat(out).contains("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1").doesNotContain("PLAIN").doesNotContain("-PLUS");
    }

    @Test
    void unknownHostGetsHostUnknown_rfc6120_4_9_3_6() {
        Client client = new Client();

        String out = client.send(HEADER.replace("parley.test", "elsewhere.test"));

        assertThat(out).contains("<stream:stream").contains("<host-unknown");
        assertThat(client.channel.isOpen()).isFalse();
    }

    @Test
    void wrongContentNamespaceGetsInvalidNamespace_rfc6120_4_9_3_10() {
        Client client = new Client();

        String out = client.send(HEADER.replace("jabber:client", "jabber:server"));

        assertThat(out).contains("<invalid-namespace");
        assertThat(client.channel.isOpen()).isFalse();
    }

    @Test
    void otherMajorVersionGetsUnsupportedVersion_rfc6120_4_9_3_25() {
        Client client = new Client();

        String out = client.send(HEADER.replace("to='parley.test' version='1.0'", "to='parley.test' version='2.0'"));

        assertThat(out).contains("<unsupported-version");
    }

    @Test
    void stanzaBeforeAuthenticationGetsNotAuthorized_rfc6120_4_9_3_12() {
        Client client = new Client();
        client.send(HEADER);

        String out = client.send("<message to='juliet@parley.test'><body>hi</body></message>");

        assertThat(out).contains("<not-authorized");
        assertThat(client.channel.isOpen()).isFalse();
    }

    @Test
    void scramLoginRestartAndBind_rfc6120_6_4_and_7() {
        Client client = new Client();
        client.send(HEADER);

        String success = client.authenticate("romeo", "secret");
        assertThat(success).contains("<success");
        String features = client.send(HEADER);
        assertThat(features).contains("urn:ietf:params:xml:ns:xmpp-bind").contains("urn:ietf:params:xml:ns:xmpp-session")
                .contains("<optional");
        String bound = client.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>orchard</resource></bind></iq>");

        assertThat(bound).containsAnyOf("type=\"result\"", "type='result'").contains("<jid>romeo@parley.test/orchard</jid>");
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void serverGeneratesAResourceWhenAskedTo_rfc6120_7_6() {
        Client client = new Client();
        client.send(HEADER);
        client.authenticate("romeo", "secret");
        client.send(HEADER);

        String bound = client.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");

        assertThat(group(bound, "<jid>([^<]+)</jid>")).startsWith("romeo@parley.test/").hasSizeGreaterThan(18);
    }

    @Test
    void wrongPasswordFailsAndTheClientMayRetry_rfc6120_6_4_5() {
        Client client = new Client();
        client.send(HEADER);

        assertThat(client.authenticate("romeo", "wrong")).contains("<failure").contains("<not-authorized");
        assertThat(client.authenticate("romeo", "secret")).contains("<success");
    }

    @Test
    void messagesFlowBetweenTwoSessionsWithStampedFrom_rfc6120_8_1_2_1() {
        Client romeo = new Client();
        Client juliet = new Client();
        romeo.login("romeo", "orchard");
        juliet.login("juliet", "balcony");

        romeo.send("<message to='juliet@parley.test/balcony' type='chat' id='m1'><body>hi</body></message>");

        String received = juliet.output();
        assertThat(received).contains("<body>hi</body>").contains("romeo@parley.test/orchard");
    }

    /**
     * XEP-0198 §5 and RFC 6121 §8.5.3.2.1: a message routed to a session whose stream is closing
     * (its stream error is out, the connection not gone yet: a server shutting down, a client's
     * {@code </stream:stream>}) is routed again once the session ended, as to an unavailable
     * resource, and so is one delivered to the session after its end: here juliet's other
     * resource gets both. Both were dropped before while their sender counted them as handled
     * (a rolling restart of a cluster lost one that way).
     */
    @Test
    void aMessageForASessionWhoseStreamIsClosingOrEndedGoesToTheAccountsOtherResource_xep0198_5() throws Exception {
        Client romeo = new Client();
        Client juliet = new Client();
        romeo.login("romeo", "orchard");
        juliet.login("juliet", "balcony");
        juliet.send("<presence/>");
        ManualC2sTransport connection = new ManualC2sTransport();
        connection.onLoop = true;
        C2sSession garden = new C2sSession(connection, context);
        garden.bound(JidCreate.entityFullFrom("juliet@parley.test/garden"));
        sessions.bind(garden);
        garden.close(StreamError.of(StreamErrorCondition.SYSTEM_SHUTDOWN, "the server is shutting down"));
        int writtenWhenClosed = connection.written.size();

        romeo.send("<message to='juliet@parley.test/garden' type='chat' id='w1'><body>in the window</body></message>");

        assertThat(connection.written).hasSize(writtenWhenClosed);
        assertThat(juliet.output()).doesNotContain("in the window");

        garden.connectionLost(connection);

        assertThat(juliet.output()).contains("<body>in the window</body>").contains("romeo@parley.test/orchard");

        garden.deliver(DocumentHelper.parseText("<message from='romeo@parley.test/orchard' to='juliet@parley.test/garden'"
                + " type='chat' id='w2'><body>after the end</body></message>").getRootElement());

        assertThat(juliet.output()).contains("<body>after the end</body>");
        assertThat(connection.written).hasSize(writtenWhenClosed);
    }

    @Test
    void forgedFromGetsInvalidFrom_rfc6120_4_9_3_9() {
        Client romeo = new Client();
        romeo.login("romeo", "orchard");

        String out = romeo.send("<message from='juliet@parley.test/balcony' to='juliet@parley.test'><body>x</body></message>");

        assertThat(out).contains("<invalid-from");
        assertThat(romeo.channel.isOpen()).isFalse();
    }

    @Test
    void malformedToGetsJidMalformed_rfc6120_8_3_3_8() {
        Client romeo = new Client();
        romeo.login("romeo", "orchard");

        String out = romeo.send("<message to='a@b@c' id='m2'><body>x</body></message>");

        assertThat(out).containsAnyOf("type=\"error\"", "type='error'").contains("<jid-malformed");
        assertThat(romeo.channel.isOpen()).isTrue();
    }

    @Test
    void resourceConflictClosesTheOlderSession_rfc6120_7_7_2_2() {
        Client first = new Client();
        Client second = new Client();
        first.login("romeo", "orchard");

        second.login("romeo", "orchard");

        assertThat(first.output()).contains("<conflict");
        assertThat(first.channel.isOpen()).isFalse();
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void pingToTheServerIsAnswered_xep0199_4_2() {
        Client romeo = new Client();
        romeo.login("romeo", "orchard");

        String out = romeo.send("<iq type='get' id='p1' to='parley.test'><ping xmlns='urn:xmpp:ping'/></iq>");

        assertThat(out).containsAnyOf("id=\"p1\"", "id='p1'").contains("result");
    }

    @Test
    void legacySessionIqIsAnswered() {
        Client romeo = new Client();
        romeo.login("romeo", "orchard");

        String out = romeo.send("<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");

        assertThat(out).contains("s1").contains("result");
    }

    @Test
    void unexpectedNegotiationElementIsRejected_rfc6120_4_9_3_24() {
        Client client = new Client();
        client.send(HEADER);

        String out = client.send("<foo xmlns='urn:example'/>");

        assertThat(out).contains("<unsupported-stanza-type");
    }

    @Test
    void closingTheStreamIsAnsweredWithAClose_rfc6120_4_4() {
        Client client = new Client();
        client.send(HEADER);

        String out = client.send("</stream:stream>");

        assertThat(out).contains("</stream:stream>");
        assertThat(client.channel.isOpen()).isFalse();
    }

    /**
     * Input that arrives while a feature step runs waits (RFC 6120 §6.4.2: the SASL exchange
     * is answered before the next element), and is then handled in a loop: 20,000 SASL
     * {@code <abort/>}s (§6.4.3, each answered at once) read while an {@code <auth/>} waits for
     * the blocking pool used to run one stack frame chain deeper each, and the stack overflowed
     * inside a CompletableFuture callback that swallowed the error; the stream then stopped
     * reading for good.
     */
    @Test
    void thousandsOfElementsHeldBehindASlowStepAreAllAnsweredInOrder_rfc6120_6_4_3() {
        Client client = new Client();
        client.send(HEADER);
        holdBlockingWork = true;
        ScramTestClient scram = new ScramTestClient(ScramHash.SHA_256, "n,,", "romeo", "clientnonce");
        StringBuilder input = new StringBuilder("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + b64(scram.clientFirst()) + "</auth>");
        int aborts = 20_000;
        for (int i = 0; i < aborts; i++) {
            input.append("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        }
        assertThat(client.send(input.toString())).as("nothing before the auth step is done").isEmpty();

        holdBlockingWork = false;
        while (!heldBlockingWork.isEmpty()) {
            heldBlockingWork.poll().run();
        }
        client.channel.runPendingTasks();
        String out = client.output();

        assertThat(out).startsWith("<challenge");
        assertThat(Pattern.compile("<aborted").matcher(out).results().count()).isEqualTo(aborts);
        assertThat(client.channel.isOpen()).isTrue();
    }

    @Test
    void pastTheBoundOnStanzasInFlightTheClientIsReadNoFurtherUntilOneIsHandled_rfc6120_13_12() {
        Client romeo = new Client();
        romeo.login("romeo", "orchard");
        for (int i = 1; i <= 3; i++) {
            romeo.send("<iq type='get' id='s" + i + "' to='romeo@parley.test'><q xmlns='" + SLOW + "'/></iq>");
        }
        assertThat(intake.inFlight()).isEqualTo(3);
        assertThat(romeo.channel.config().isAutoRead()).as("three in flight, two allowed").isFalse();

        slowAnswers.poll().run();   // s1 answered; s2, in the account's turn behind it, starts
        romeo.channel.runPendingTasks();
        assertThat(romeo.channel.config().isAutoRead()).as("two in flight: within the bound").isTrue();
        slowAnswers.poll().run();
        slowAnswers.poll().run();
        romeo.channel.runPendingTasks();

        // Nothing the client sent was lost, and the answers kept its order (RFC 6120 §10.1).
        String ids = Pattern.compile("<iq[^>]*id=[\"'](s\\d)[\"']").matcher(romeo.output()).results()
                .map(match -> match.group(1)).reduce("", String::concat);
        assertThat(ids).isEqualTo("s1s2s3");
        assertThat(intake.inFlight()).isZero();
    }
}
