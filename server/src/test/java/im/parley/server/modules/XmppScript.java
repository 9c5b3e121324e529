package im.parley.server.modules;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.core.sasl.ScramTestClient;
import im.parley.server.testing.TestClient;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/** Helpers for module scripts: one IQ and its answer, stream features, SCRAM by hand. */
public final class XmppScript {

    private XmppScript() {
    }

    /** Sends an IQ on an established stream and returns the one stanza the client received. */
    public static Element iq(TestClient client, String xml) {
        List<Element> received = parse(client.send(xml));
        assertThat(received).as("answer to %s", xml).hasSize(1);
        return received.get(0);
    }

    /** The top-level elements in raw server output on an established stream. */
    public static List<Element> parse(String output) {
        if (output.isBlank()) {
            return List.of();
        }
        try {
            return DocumentHelper.parseText("<w xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                    + output + "</w>").getRootElement().elements().stream().map(Element::createCopy).toList();
        } catch (DocumentException e) {
            throw new AssertionError("server output is not a sequence of elements: " + output, e);
        }
    }

    /** The stanza error condition of an error reply, e.g. {@code service-unavailable}. */
    public static String condition(Element reply) {
        assertThat(reply.attributeValue("type")).as("reply %s", reply.asXML()).isEqualTo("error");
        Element error = reply.element("error");
        return error.elements().stream().filter(e -> !"text".equals(e.getName())).findFirst().orElseThrow().getName();
    }

    /** The {@code <stream:features/>} in raw server output. */
    public static Element features(String output) {
        int start = output.indexOf("<stream:features");
        int end = output.indexOf("</stream:features>");
        assertThat(start).as("stream features in %s", output).isNotNegative();
        String xml = end < 0 ? output.substring(start) : output.substring(start, end + "</stream:features>".length());
        try {
            return DocumentHelper.parseText("<w xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                    + xml + "</w>").getRootElement().elements().get(0);
        } catch (DocumentException e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    /**
     * Opens a stream and authenticates with SCRAM-SHA-256 (RFC 6120 §6), then restarts the
     * stream; returns the server's output after the restart (the post-authentication features).
     */
    public static String authenticate(TestClient client, String user, String domain, String password) {
        client.send(TestClient.header(domain));
        ScramTestClient scram = new ScramTestClient(ScramHash.SHA_256, "n,,", user, "nonce" + System.nanoTime());
        String challenge = client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + b64(scram.clientFirst()) + "</auth>");
        Matcher m = Pattern.compile("<challenge[^>]*>([^<]+)</challenge>").matcher(challenge);
        assertThat(m.find()).as("challenge in %s", challenge).isTrue();
        String outcome = client.send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64(scram.clientFinal(Base64.getDecoder().decode(m.group(1)), password, new byte[0])) + "</response>");
        if (!outcome.contains("<success")) {
            return outcome;
        }
        return client.send(TestClient.header(domain));
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
