package im.parley.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import im.parley.core.routing.Stanza;
import im.parley.core.net.ByteRate;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.s2s.dialback.Dialback;
import im.parley.s2s.dialback.DialbackKeys;
import im.parley.s2s.dns.S2sResolver;
import im.parley.s2s.dns.SrvRecord;
import im.parley.s2s.tls.PeerCertificateVerifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Fuzzes the receiving side of a server-to-server stream: {@link InboundStreamHandler} behind the
 * real decoder and encoder, as {@link S2sChannelInitializer} builds them, fed a valid stream
 * header from {@code remote.example} to the hosted {@code local.example} and then the fuzzer's
 * bytes: stream features, STARTTLS, SASL EXTERNAL, Server Dialback ({@code db:result},
 * {@code db:verify}, XEP-0220 §2) and stanzas (RFC 6120 §8, §13.1). TLS is optional, so dialback
 * and stanzas are reachable; the peer's authoritative server cannot be reached (DNS SRV says
 * "no service"), so no dialback can succeed. Whatever the peer sends:
 * <ul>
 *   <li>the server's own output is a well-formed stream (a header, elements, at most one stream
 *       error, then the end) whose error, if any, names a condition a peer can cause; an
 *       exception in the handler would show as {@code internal-server-error};</li>
 *   <li>no stanza reaches the local router: nothing on this stream ever authenticated a domain
 *       (RFC 6120 §13.1, XEP-0220 §2.1.3);</li>
 *   <li>every {@code db:result} answer is {@code invalid} or an error, and every {@code db:verify}
 *       answer is {@code invalid} or an error: the fuzzer does not know the dialback secret
 *       (XEP-0185 §3).</li>
 * </ul>
 * Seeds: {@code src/test/resources/im/parley/s2s/InboundStreamFuzzTestInputs/receive/}.
 */
class InboundStreamFuzzTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
            + " from='remote.example' to='local.example' version='1.0'>";
    private static final List<Stanza> DELIVERED = new CopyOnWriteArrayList<>();
    private static final S2sRouter ROUTER = router();
    /** What a peer's bytes may make the server end the stream with. */
    private static final Set<StreamErrorCondition> PEER_FAULTS = EnumSet.of(
            StreamErrorCondition.NOT_WELL_FORMED, StreamErrorCondition.RESTRICTED_XML,
            StreamErrorCondition.POLICY_VIOLATION, StreamErrorCondition.UNSUPPORTED_ENCODING,
            StreamErrorCondition.INVALID_NAMESPACE, StreamErrorCondition.BAD_FORMAT,
            StreamErrorCondition.HOST_UNKNOWN, StreamErrorCondition.NOT_AUTHORIZED,
            StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, StreamErrorCondition.IMPROPER_ADDRESSING,
            StreamErrorCondition.INVALID_FROM, StreamErrorCondition.UNSUPPORTED_VERSION);

    @FuzzTest
    void receive(byte[] input) {
        DELIVERED.clear();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                S2sChannelInitializer.addStreamHandlers(ch.pipeline(), ROUTER);
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER.getBytes(StandardCharsets.UTF_8)));
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        // Dialback answers come back through the channel's event loop.
        channel.runPendingTasks();
        channel.finish();
        ByteBuf output = Unpooled.buffer();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            output.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[output.readableBytes()];
        output.readBytes(bytes).release();

        assertThat(DELIVERED).as("stanzas from an unauthenticated peer").isEmpty();
        checkOutput(bytes);
    }

    /** The server's bytes decode as its stream; TLS bytes after {@code <proceed/>} are not ours to read. */
    private static void checkOutput(byte[] output) {
        List<Object> stream = decode(output);
        assertThat(stream).as("our header").isNotEmpty();
        assertThat(stream.get(0)).isInstanceOf(StreamOpen.class);
        boolean errorSent = false;
        for (Object o : stream.subList(1, stream.size())) {
            if (errorSent) {
                assertThat(o).as("nothing after a stream error but the end").isSameAs(StreamClose.INSTANCE);
            }
            if (o instanceof Element element) {
                if (isProceed(element)) {
                    return;
                }
                if (Namespaces.STREAMS.equals(element.getNamespaceURI()) && "error".equals(element.getName())) {
                    errorSent = true;
                    assertThat(StreamErrorCondition.fromElementName(element.elements().get(0).getName()))
                            .as(XmppElementEncoder.toXml(element)).isIn(PEER_FAULTS);
                } else if (Dialback.isResult(element) || Dialback.isVerify(element)) {
                    assertThat(element.attributeValue("type")).as(XmppElementEncoder.toXml(element)).isIn("invalid", "error");
                }
            } else if (o instanceof StreamFault fault) {
                throw new AssertionError("our own output is not a well-formed stream: " + fault.error() + " in "
                        + new String(output, StandardCharsets.UTF_8));
            } else {
                assertThat(o).isSameAs(StreamClose.INSTANCE);
            }
        }
    }

    private static boolean isProceed(Element element) {
        return "proceed".equals(element.getName()) && Namespaces.TLS.equals(element.getNamespaceURI());
    }

    private static List<Object> decode(byte[] bytes) {
        EmbeddedChannel decoder = new EmbeddedChannel(new XmppStreamDecoder(new XmlLimits(1 << 20, 64)));
        decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<Object> out = new ArrayList<>();
        for (Object o = decoder.readInbound(); o != null; o = decoder.readInbound()) {
            out.add(o);
        }
        return out;
    }

    private static S2sRouter router() {
        try {
            DomainBareJid local = JidCreate.domainBareFrom("local.example");
            DomainBareJid other = JidCreate.domainBareFrom("other.example");
            Map<DomainBareJid, KeyMaterial> keys = Map.of(
                    local, SelfSignedCertificates.generate("local.example"),
                    other, SelfSignedCertificates.generate("other.example"));
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            S2sSettings settings = new S2sSettings(Set.of(local, other), keys, new PeerCertificateVerifier(List.of()),
                    new DialbackKeys(secret), Map.of(), false, false,
                    Map.of(JidCreate.domainBareFrom("strict.example"), RemotePolicy.REQUIRE_CERTIFICATE),
                    Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1), new XmlLimits(4096, 16), 65536, ByteRate.UNLIMITED);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            // No peer offers s2s (RFC 2782: the "." target), so no connection is ever attempted.
            S2sResolver resolver = new S2sResolver(Map.of(),
                    name -> name.startsWith("_xmpp-server.") ? List.of(new SrvRecord(0, 0, 0, ".")) : List.of(),
                    new SecureRandom());
            S2sRouter router = new S2sRouter(settings, group, NioSocketChannel.class, Runnable::run, resolver);
            // The local router records what federation would deliver.
            router.start(DELIVERED::add);
            return router;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
