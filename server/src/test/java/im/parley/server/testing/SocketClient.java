package im.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.core.sasl.ScramTestClient;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.dom4j.Element;

/**
 * A client over a real TCP connection to a running server's c2s port (no TLS; the test servers
 * do not require it). Received bytes go through Parley's own stream decoder, so the test sees
 * dom4j elements: {@code alice.send(...)}, {@code bob.receive(...)}.
 */
public final class SocketClient implements AutoCloseable {

    private static final long WAIT_SECONDS = 20;

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final List<Element> skipped = new ArrayList<>();
    private final XmppStreamDecoder decoder = new XmppStreamDecoder(new XmlLimits(1 << 20, 64));
    private final EmbeddedChannel parser;
    private String jid;

    public SocketClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        out = socket.getOutputStream();
        parser = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Element e && "success".equals(e.getName())) {
                    decoder.reset(); // RFC 6120 §6.4.6: the stream restarts after SASL success
                }
                received.add(msg);
            }
        });
        Thread reader = new Thread(this::readLoop, "socket-client-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        byte[] buffer = new byte[16384];
        try (InputStream in = socket.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                parser.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
            }
        } catch (IOException e) {
            // closed
        }
        received.add("closed");
    }

    public void send(String xml) {
        try {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot send " + xml, e);
        }
    }

    /** Logs in with SCRAM-SHA-256, binds {@code resource} and sends initial presence. */
    public SocketClient login(String bareJid, String password, String resource) {
        bind(bareJid, password, resource);
        send("<presence/>");
        return this;
    }

    /** Logs in with SCRAM-SHA-256 and binds {@code resource}, without presence. */
    public SocketClient bind(String bareJid, String password, String resource) {
        return bind(bareJid, password, resource, ScramHash.SHA_256);
    }

    /** Logs in with the SCRAM mechanism of {@code hash} and binds {@code resource}, without presence. */
    public SocketClient bind(String bareJid, String password, String resource, ScramHash hash) {
        String user = bareJid.substring(0, bareJid.indexOf('@'));
        String domain = bareJid.substring(bareJid.indexOf('@') + 1);
        send(header(domain));
        next(e -> "features".equals(e.getName()));
        ScramTestClient scram = new ScramTestClient(hash, "n,,", user, "nonce" + System.nanoTime());
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + hash.mechanismName() + "'>"
                + b64(scram.clientFirst()) + "</auth>");
        byte[] serverFirst = Base64.getDecoder().decode(next(e -> "challenge".equals(e.getName())).getTextTrim());
        send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64(scram.clientFinal(serverFirst, password, new byte[0])) + "</response>");
        next(e -> "success".equals(e.getName()));
        send(header(domain));
        next(e -> "features".equals(e.getName()));
        send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        Element bound = next(e -> "bind".equals(e.attributeValue("id")));
        jid = bound.element("bind").elementText("jid");
        return this;
    }

    public String jid() {
        return jid;
    }

    /** The next element matching {@code condition}; earlier ones are kept in {@link #skipped()}. */
    public Element next(Predicate<Element> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Object item;
            try {
                item = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(item).as("an expected element within %ss (skipped: %s)", WAIT_SECONDS, describe(skipped))
                    .isNotNull();
            if (item instanceof Element element) {
                if (condition.test(element)) {
                    return element;
                }
                skipped.add(element);
            } else if ("closed".equals(item)) {
                throw new AssertionError("connection closed; skipped: " + describe(skipped));
            } else if (!(item instanceof StreamOpen)) {
                skipped.add(null);
            }
        }
    }

    /** The next {@code message} stanza. */
    public Element nextMessage() {
        return next(e -> "message".equals(e.getName()));
    }

    public List<Element> skipped() {
        return skipped;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public static String header(String domain) {
        return "<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' "
                + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    }

    private static String describe(List<Element> elements) {
        List<String> xml = new ArrayList<>();
        for (Element e : elements) {
            xml.add(e == null ? "?" : e.asXML());
        }
        return xml.toString();
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
