package im.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.core.sasl.ScramTestClient;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sStreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/**
 * One client connection to a {@link TestServer}: raw XML in, the server's output as text or as
 * parsed stanzas out. Reads like a script: {@code romeo.send("<message .../>")},
 * {@code juliet.stanzas()}.
 */
public final class TestClient {

    public static final String NS_CLIENT = "jabber:client";

    private final EmbeddedChannel channel;
    private final StringBuilder unread = new StringBuilder();
    private String domain;
    private String jid;

    TestClient(C2sContext context) {
        channel = new EmbeddedChannel(new XmppStreamDecoder(new XmlLimits(8192, 64)), new XmppElementEncoder(),
                new C2sStreamHandler(context, context.features().newNegotiators()));
    }

    /** The stream header for {@code domain}. */
    public static String header(String domain) {
        return "<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' "
                + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    }

    /** Sends raw XML and returns everything the server wrote since the last read. */
    public String send(String xml) {
        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        channel.runPendingTasks();
        return output();
    }

    /** Sends raw bytes (e.g. ill-formed UTF-8) and returns everything the server wrote since the last read. */
    public String send(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
        return output();
    }

    /** Everything the server wrote since the last read, as text. */
    public String output() {
        channel.runPendingTasks();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            unread.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        String out = unread.toString();
        unread.setLength(0);
        return out;
    }

    /**
     * The top-level elements the server wrote since the last read (on an established stream:
     * stanzas), parsed with the stream's namespaces in scope.
     */
    public List<Element> stanzas() {
        String out = output();
        List<Element> elements = new ArrayList<>();
        if (out.isBlank()) {
            return elements;
        }
        try {
            Document doc = DocumentHelper.parseText("<wrapper xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams'>" + out + "</wrapper>");
            for (Element e : doc.getRootElement().elements()) {
                elements.add(e.createCopy());
            }
        } catch (DocumentException e) {
            throw new AssertionError("server output is not a sequence of elements: " + out, e);
        }
        return elements;
    }

    /**
     * Like {@link #stanzas()}, without the presence of the client's own account reflected back
     * to it (RFC 6121 §4.2.2: the server sends a resource's presence to all of the user's
     * available resources, including itself) — for tests about something else.
     */
    public List<Element> received() {
        String ownBare = jid == null ? null : jid.substring(0, jid.indexOf('/'));
        List<Element> all = stanzas();
        all.removeIf(e -> "presence".equals(e.getName()) && ownBare != null && e.attributeValue("from") != null
                && e.attributeValue("from").startsWith(ownBare + "/"));
        return all;
    }

    /** Logs in with SCRAM-SHA-256, restarts, binds {@code resource}; returns the bound full JID. */
    public String login(String bareJid, String password, String resource) {
        String user = bareJid.substring(0, bareJid.indexOf('@'));
        domain = bareJid.substring(bareJid.indexOf('@') + 1);
        send(header(domain));
        ScramTestClient scram = new ScramTestClient(ScramHash.SHA_256, "n,,", user, "nonce" + System.nanoTime());
        String challenge = send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + b64(scram.clientFirst()) + "</auth>");
        byte[] serverFirst = Base64.getDecoder().decode(group(challenge, "<challenge[^>]*>([^<]+)</challenge>"));
        String success = send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64(scram.clientFinal(serverFirst, password, new byte[0])) + "</response>");
        assertThat(success).as("SASL outcome for %s", bareJid).contains("<success");
        send(header(domain));
        String bound = send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
                + resource + "</resource></bind></iq>");
        jid = group(bound, "<jid>([^<]+)</jid>");
        return jid;
    }

    /** The bound full JID. */
    public String jid() {
        return jid;
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Drops the connection without closing the stream (like a lost TCP connection). */
    public void drop() {
        channel.close();
        channel.runPendingTasks();
    }

    public EmbeddedChannel channel() {
        return channel;
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }
}
