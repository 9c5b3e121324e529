package im.parley.conformance.durability;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a server acknowledges is never lost, even when its process dies without warning.
 *
 * <p>XEP-0198 §4: "the value of 'h' ... is the sequence number of the last handled stanza"; a
 * client drops what the server acknowledged and never sends it again, so a stanza may only count
 * as handled once its effect survives a crash (here: the offline message is stored, XEP-0160 §2).
 * RFC 6120 §10.1: the server processes a client's stanzas in the order received, so the messages
 * come back in the order they were sent. The server runs in its own process and is killed with
 * SIGKILL right after it acknowledged the last message.
 */
class AcknowledgedMessagesSurviveKillTest {

    private static final String SM = "urn:xmpp:sm:3";
    private static final String PASSWORD = "durable password";
    private static final int MESSAGES = 100;

    @TempDir
    Path dir;

    private ParleyProcess parley;
    private final List<RawXmppClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RawXmppClient::close);
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void offlineMessagesAcknowledgedBeforeAKillAreThereAfterARestartInOrder() throws Exception {
        parley = ParleyProcess.in(dir);
        parley.addUser("romeo", PASSWORD);
        parley.addUser("juliet", PASSWORD);
        parley.start();

        RawXmppClient romeo = login("romeo");
        romeo.send("<enable xmlns='" + SM + "'/>");
        assertThat(romeo.nextElement().getName()).isEqualTo("enabled");
        for (int i = 1; i <= MESSAGES; i++) {
            romeo.send("<message to='juliet@" + ParleyProcess.DOMAIN + "' type='chat' id='m" + i + "'><body>m" + i
                    + "</body></message>");
        }
        awaitAck(romeo, MESSAGES);
        parley.kill();

        parley.start();
        RawXmppClient juliet = login("juliet");
        juliet.send("<presence/>");
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < MESSAGES) {
            Element message = juliet.nextElement(e -> "message".equals(e.getName()));
            bodies.add(message.elementText("body"));
        }
        assertThat(bodies).containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList());
    }

    /** Asks for acks until the server says it handled {@code count} stanzas (XEP-0198 §4). */
    private static void awaitAck(RawXmppClient client, long count) {
        long h = -1;
        while (h < count) {
            client.send("<r xmlns='" + SM + "'/>");
            Element ack = client.nextElement(e -> "a".equals(e.getName()) && SM.equals(e.getNamespaceURI()));
            h = Long.parseLong(ack.attributeValue("h"));
        }
        assertThat(h).isEqualTo(count);
    }

    private RawXmppClient login(String username) {
        RawXmppClient client = RawXmppClient.connect("127.0.0.1", parley.port(), parley.certificate())
                .toDomain(ParleyProcess.DOMAIN);
        clients.add(client);
        client.login(username, PASSWORD, "res");
        return client;
    }
}
