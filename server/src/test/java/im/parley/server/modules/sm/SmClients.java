package im.parley.server.modules.sm;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.core.sasl.ScramTestClient;
import im.parley.server.testing.TestClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/** Script steps for XEP-0198 tests over the {@link im.parley.server.testing.TestServer} fixture. */
public final class SmClients {

    public static final String SM = "urn:xmpp:sm:3";

    private SmClients() {
    }

    /**
     * Authenticates with SCRAM-SHA-256 and restarts the stream, without binding (XEP-0198 §5:
     * {@code <resume/>} comes instead of binding). Returns the features of the restarted stream.
     */
    public static String authenticate(TestClient client, String bareJid) {
        String user = bareJid.substring(0, bareJid.indexOf('@'));
        String domain = bareJid.substring(bareJid.indexOf('@') + 1);
        client.send(TestClient.header(domain));
        ScramTestClient scram = new ScramTestClient(ScramHash.SHA_256, "n,,", user, "nonce" + System.nanoTime());
        String challenge = client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + b64(scram.clientFirst()) + "</auth>");
        byte[] serverFirst = Base64.getDecoder().decode(group(challenge, "<challenge[^>]*>([^<]+)</challenge>"));
        String success = client.send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64(scram.clientFinal(serverFirst, "secret", new byte[0])) + "</response>");
        assertThat(success).contains("<success");
        return client.send(TestClient.header(domain));
    }

    /** {@code <enable resume='true'/>} (§3); returns the resumption id of {@code <enabled/>}. */
    public static String enableResumption(TestClient client) {
        String enabled = client.send("<enable xmlns='" + SM + "' resume='true'/>");
        return group(enabled, "<enabled[^>]* id=['\"]([^'\"]+)['\"]");
    }

    /** Server output as elements, with the stream's namespaces in scope. */
    static List<Element> parse(String output) {
        try {
            List<Element> elements = new ArrayList<>();
            for (Element e : DocumentHelper.parseText("<w xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams'>" + output.replace("</stream:stream>", "") + "</w>").getRootElement().elements()) {
                elements.add(e.createCopy());
            }
            return elements;
        } catch (DocumentException e) {
            throw new AssertionError("not a sequence of elements: " + output, e);
        }
    }

    /** The bodies of the messages among the elements, in order. */
    static List<String> bodies(List<Element> elements) {
        List<String> bodies = new ArrayList<>();
        for (Element e : elements) {
            if ("message".equals(e.getName()) && e.element("body") != null) {
                bodies.add(e.elementText("body"));
            }
        }
        return bodies;
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
