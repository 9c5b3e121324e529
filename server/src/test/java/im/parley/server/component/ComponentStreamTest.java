package im.parley.server.component;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.DocumentHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** External component streams (XEP-0114 §3) over an EmbeddedChannel: handshake, routing both ways, checks. */
class ComponentStreamTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='%s'>";

    private final List<Stanza> routedIn = new ArrayList<>();
    private ComponentRouter router;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        router = new ComponentRouter(new ComponentSecrets(Map.of(Jids.parseDomain("push.example.org"), "s3cret")));
        router.start(routedIn::add);
        channel = new EmbeddedChannel(new XmppStreamDecoder(XmlLimits.defaults()), new XmppElementEncoder(),
                new ComponentStreamHandler(router));
    }

    private String send(String xml) {
        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    private static String streamId(String header) {
        Matcher m = Pattern.compile("id='([^']+)'").matcher(header);
        assertThat(m.find()).as(header).isTrue();
        return m.group(1);
    }

    private void connect() {
        String header = send(String.format(HEADER, "push.example.org"));
        assertThat(send("<handshake>" + ComponentSecrets.digest(streamId(header), "s3cret") + "</handshake>"))
                .isEqualTo("<handshake/>");
    }

    @Test
    void theRightSecretConnectsTheComponent() throws Exception {
        // XEP-0114 §3: "the component sends a <handshake/> element ... SHA1 hash of the concatenation of the
        // stream id and the shared secret ... the server ... MUST send an empty <handshake/> element".
        String header = send(String.format(HEADER, "push.example.org"));
        assertThat(header).contains("xmlns='jabber:component:accept'").contains("from='push.example.org'");
        assertThat(send("<handshake>" + ComponentSecrets.digest(streamId(header), "s3cret") + "</handshake>"))
                .isEqualTo("<handshake/>");
        assertThat(router.isConnected(Jids.parseDomain("push.example.org"))).isTrue();
    }

    @Test
    void aWrongSecretIsNotAuthorized() throws Exception {
        // XEP-0114 §3: "If the handshake fails, the server MUST send a <not-authorized/> stream error and close".
        String header = send(String.format(HEADER, "push.example.org"));
        String out = send("<handshake>" + ComponentSecrets.digest(streamId(header), "wrong") + "</handshake>");
        assertThat(out).contains("<not-authorized").contains("</stream:stream>");
        assertThat(channel.isOpen()).isFalse();
        assertThat(router.isConnected(Jids.parseDomain("push.example.org"))).isFalse();
    }

    @Test
    void anUnknownComponentDomainIsHostUnknown() {
        assertThat(send(String.format(HEADER, "other.example.org"))).contains("<host-unknown");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void stanzasBeforeTheHandshakeAreRefused() {
        send(String.format(HEADER, "push.example.org"));
        assertThat(send("<message from='push.example.org' to='juliet@example.org'/>")).contains("<not-authorized");
        assertThat(routedIn).isEmpty();
    }

    @Test
    void stanzasFlowBothWaysInTheirOwnContentNamespace() throws Exception {
        connect();
        send("<iq type='result' id='p1' from='push.example.org' to='juliet@example.org'/>");
        assertThat(routedIn).hasSize(1);
        assertThat(routedIn.get(0).element().getNamespaceURI()).isEqualTo("jabber:client");
        assertThat(routedIn.get(0).from().toString()).isEqualTo("push.example.org");

        router.route(new Stanza(DocumentHelper.parseText("<iq xmlns='jabber:client' type='set' id='p2' "
                + "from='juliet@example.org' to='push.example.org'><ping xmlns='urn:xmpp:ping'/></iq>").getRootElement(),
                Jids.parse("juliet@example.org"), Jids.parse("push.example.org")), Handling.none());
        String out = send("");
        assertThat(out).startsWith("<iq ").contains("id='p2'").doesNotContain("jabber:client");

        assertThat(router.claims(Jids.parseDomain("push.example.org"))).isTrue();
        assertThat(router.claims(Jids.parseDomain("example.net"))).isFalse();
    }

    @Test
    void aStanzaFromAnotherDomainIsInvalidFrom() {
        connect();
        assertThat(send("<message from='juliet@example.org' to='romeo@example.org'/>")).contains("<invalid-from");
        assertThat(routedIn).isEmpty();
    }

    @Test
    void aDisconnectedComponentBouncesServiceUnavailable() throws Exception {
        router.route(new Stanza(DocumentHelper.parseText("<iq xmlns='jabber:client' type='set' id='p3' "
                + "from='juliet@example.org' to='push.example.org'><x xmlns='urn:x'/></iq>").getRootElement(),
                Jids.parse("juliet@example.org"), Jids.parse("push.example.org")), Handling.none());
        assertThat(routedIn).hasSize(1);
        assertThat(routedIn.get(0).element().asXML()).contains("service-unavailable");
    }
}
