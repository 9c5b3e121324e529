package im.parley.server.modules.sm;

import im.parley.server.testing.TestServer;
import java.util.List;
import org.dom4j.Element;

/** For tests of other c2s features: the stream features offered after SASL, and output parsing. */
public final class AuthenticatedStream {

    private AuthenticatedStream() {
    }

    /** Authenticates a new connection as {@code bareJid} and returns the features of the restarted stream. */
    public static String featuresAfterSasl(TestServer server, String bareJid) {
        return SmClients.authenticate(server.connect(), bareJid);
    }

    /** Server output as elements. */
    public static List<Element> parse(String output) {
        return SmClients.parse(output);
    }
}
