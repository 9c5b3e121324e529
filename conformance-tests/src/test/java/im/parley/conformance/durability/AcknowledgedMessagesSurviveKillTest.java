package im.parley.conformance.durability;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ServerProcess;
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
 * as handled once its effect survives a crash (here: the offline message is stored, XEP-0160 §2,
 * and archived in both accounts' archives, XEP-0313 §6.1.1, which are group-committed to the
 * archive journal and indexed into the database after the restart).
 * RFC 6120 §10.1: the server processes a client's stanzas in the order received, so the messages
 * come back in the order they were sent. The server runs in its own process and is killed with
 * SIGKILL right after it acknowledged the last message.
 */
class AcknowledgedMessagesSurviveKillTest {

    private static final String DOMAIN = "durable.test";
    private static final String SM = "urn:xmpp:sm:3";
    private static final String MAM = "urn:xmpp:mam:2";
    private static final String PASSWORD = "durable password";
    private static final int MESSAGES = 100;

    @TempDir
    Path dir;

    private ServerProcess parley;

    @AfterEach
    void stop() throws Exception {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void offlineMessagesAcknowledgedBeforeAKillAreThereAfterARestartInOrder() throws Exception {
        startAndSendAcknowledged();
        parley.process().kill();

        parley.start();
        RawXmppClient juliet = parley.login("juliet");
        juliet.send("<presence/>");
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < MESSAGES) {
            Element message = juliet.nextElement(e -> "message".equals(e.getName()));
            bodies.add(message.elementText("body"));
        }
        List<String> sent = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList();
        assertThat(bodies).containsExactlyElementsOf(sent);
        assertThat(archivedBodies(juliet)).as("juliet's archive").containsExactlyElementsOf(sent);
        assertThat(archivedBodies(parley.login("romeo"))).as("romeo's archive").containsExactlyElementsOf(sent);
    }

    /**
     * Messages already moved from the journal into the archive index (a query indexes what the
     * journal holds first) survive the kill too: the index's writes are in RocksDB's write-ahead
     * log, which a killed process leaves in the operating system's cache (no fsync); after the
     * restart each is in the archives once (XEP-0313 §4), none indexed twice from the journal.
     */
    @Test
    void messagesIndexedBeforeAKillAreInTheArchiveIndexOnceAfterARestart() throws Exception {
        RawXmppClient romeo = startAndSendAcknowledged();
        List<String> sent = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList();
        assertThat(archivedBodies(romeo)).as("romeo's archive, indexed").containsExactlyElementsOf(sent);
        parley.process().kill();

        assertThat(parley.dataDir().resolve("mam-archive").resolve(DOMAIN)).isDirectory();
        parley.start();
        assertThat(archivedBodies(parley.login("romeo"))).as("romeo's archive").containsExactlyElementsOf(sent);
        assertThat(archivedBodies(parley.login("juliet"))).as("juliet's archive").containsExactlyElementsOf(sent);
    }

    /**
     * Starts the server with romeo and juliet, and has romeo send {@link #MESSAGES} messages to
     * juliet with Stream Management on, until the server acknowledged them all (XEP-0198 §4).
     */
    private RawXmppClient startAndSendAcknowledged() throws Exception {
        // The archive's indexer does not run on its own before the kill: the archived messages
        // are then in the journal only, and come back through its replay.
        parley = new ServerProcess(dir, DOMAIN, PASSWORD, "mam:", "  index_delay: \"1h\"");
        parley.addUsers("romeo", "juliet");
        parley.start();
        RawXmppClient romeo = parley.login("romeo");
        romeo.send("<enable xmlns='" + SM + "'/>");
        assertThat(romeo.nextElement().getName()).isEqualTo("enabled");
        for (int i = 1; i <= MESSAGES; i++) {
            romeo.send("<message to='juliet@" + DOMAIN + "' type='chat' id='m" + i + "'><body>m" + i
                    + "</body></message>");
        }
        awaitAck(romeo, MESSAGES);
        return romeo;
    }

    /** The bodies in the client's archive, oldest first (XEP-0313 §4: one page of all of them). */
    private static List<String> archivedBodies(RawXmppClient client) {
        client.send("<iq type='set' id='mam'><query xmlns='" + MAM + "'><set xmlns='http://jabber.org/protocol/rsm'>"
                + "<max>" + MESSAGES + "</max></set></query></iq>");
        List<String> bodies = new ArrayList<>();
        while (true) {
            Element next = client.nextElement(e -> "iq".equals(e.getName()) && "mam".equals(e.attributeValue("id"))
                    || "message".equals(e.getName()) && e.element("result") != null);
            if ("iq".equals(next.getName())) {
                assertThat(next.attributeValue("type")).isEqualTo("result");
                return bodies;
            }
            bodies.add(next.element("result").element("forwarded").element("message").elementText("body"));
        }
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
}
