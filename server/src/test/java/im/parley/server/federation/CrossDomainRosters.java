package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.SocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.dom4j.Element;

/** Roster and presence steps shared by the cross-domain tests (RFC 6121), for Parley's clients. */
final class CrossDomainRosters {

    private CrossDomainRosters() {
    }

    /**
     * Logs in the way RFC 6121 §2.2 recommends: the roster first, which also makes the resource
     * "interested" in roster pushes (§2.1.6), then initial presence.
     */
    static SocketClient login(FederatedServer server, String bareJid, String resource) throws Exception {
        SocketClient client = server.bind(bareJid, resource);
        roster(client);
        client.send("<presence/>");
        return client;
    }

    /** Waits until the client received one element matching each predicate, in any order. */
    @SafeVarargs
    static void receivesAll(SocketClient client, Predicate<Element>... expected) {
        List<Predicate<Element>> missing = new ArrayList<>(List.of(expected));
        while (!missing.isEmpty()) {
            Element received = client.next(e -> missing.stream().anyMatch(p -> p.test(e)));
            missing.remove(missing.stream().filter(p -> p.test(received)).findFirst().orElseThrow());
        }
    }

    /** The item of a roster push (RFC 6121 §2.1.6). */
    static Element item(Element rosterPush) {
        return rosterPush.element("query").element("item");
    }

    /** The roster, by a roster get (RFC 6121 §2.1.3). */
    static Element roster(SocketClient client) {
        String id = "roster" + System.nanoTime();
        client.send("<iq type='get' id='" + id + "'><query xmlns='jabber:iq:roster'/></iq>");
        Element result = client.next(e -> id.equals(e.attributeValue("id")));
        assertThat(result.attributeValue("type")).isEqualTo("result");
        return result.element("query");
    }

    /** The roster item for {@code contact}, fetched with a roster get (RFC 6121 §2.1.3). */
    static Element item(SocketClient client, String contact) {
        return roster(client).elements("item").stream()
                .filter(item -> contact.equals(item.attributeValue("jid")))
                .findFirst().orElseThrow(() -> new AssertionError(contact + " not in the roster"));
    }
}
