package im.parley.conformance.durability;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.raw.RawXmppClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * RFC 6120 §10.1 ("in-order processing"): "the server MUST ensure that it processes stanzas
 * from the client in the order received", through every asynchronous step: a recipient gets one
 * sender's messages in the order sent, whether they were stored offline (XEP-0160), delivered
 * live, or some of each because the recipient came online while they were on their way.
 */
class OrderedDeliveryTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    void offlineMessagesArriveInTheOrderTheyWereSent() {
        EntityBareJid romeo = parley.newAccount("romeo");
        EntityBareJid juliet = parley.newAccount("juliet");
        RawXmppClient sender = login(romeo);
        sendNumbered(sender, juliet, 1, 200);

        RawXmppClient recipient = login(juliet);
        recipient.send("<presence/>");

        assertThat(bodies(recipient, 200)).containsExactlyElementsOf(numbered(1, 200));
    }

    @Test
    void messagesSentWhileTheRecipientComesOnlineArriveInTheOrderTheyWereSent() throws Exception {
        EntityBareJid romeo = parley.newAccount("romeo");
        EntityBareJid juliet = parley.newAccount("juliet");
        RawXmppClient sender = login(romeo);
        RawXmppClient recipient = login(juliet);
        sendNumbered(sender, juliet, 1, 100);

        // The initial presence races with a stream of messages: some are stored offline, some
        // are on their way to storage, some find the resource available.
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendNumbered(sender, juliet, 101, 400));
        recipient.send("<presence/>");
        sending.get(30, TimeUnit.SECONDS);

        assertThat(bodies(recipient, 400)).containsExactlyElementsOf(numbered(1, 400));
    }

    private static RawXmppClient login(EntityBareJid account) {
        RawXmppClient client = parley.raw();
        client.login(account.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "res");
        return client;
    }

    private static void sendNumbered(RawXmppClient sender, EntityBareJid to, int first, int last) {
        StringBuilder batch = new StringBuilder();
        for (int i = first; i <= last; i++) {
            batch.append("<message to='").append(to).append("' type='chat'><body>m").append(i).append("</body></message>");
            if (batch.length() > 4000 || i == last) {
                sender.send(batch.toString());
                batch.setLength(0);
            }
        }
    }

    private static List<String> bodies(RawXmppClient recipient, int count) {
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < count) {
            Element message = recipient.nextElement(e -> "message".equals(e.getName()) && e.element("body") != null);
            bodies.add(message.elementText("body"));
        }
        return bodies;
    }

    private static List<String> numbered(int first, int last) {
        return IntStream.rangeClosed(first, last).mapToObj(i -> "m" + i).toList();
    }
}
