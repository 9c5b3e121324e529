package im.parley.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.Test;

/** What waited during a reconnection is sent once, in order, and survives a session that breaks again. */
class OutboxTest {

    private final Outbox outbox = new Outbox();
    private final List<String> sent = new ArrayList<>();

    @Test
    void sendsTheStatusFirstThenTheMessagesOldestFirst() {
        outbox.rememberPresence(away());
        outbox.queue(message("one"));
        outbox.queue(message("two"));

        outbox.flush(stanza -> sent.add(describe(stanza)));

        assertThat(sent).containsExactly("presence away", "message one", "message two");
        assertThat(outbox.waiting()).isZero();
    }

    /** A resumed session (XEP-0198 §5) still has the status the server knew: it is not sent again. */
    @Test
    void aStatusAlreadySentIsNotRepeated() {
        outbox.rememberPresence(away());
        outbox.presenceSent();
        outbox.queue(message("one"));

        outbox.flush(stanza -> sent.add(describe(stanza)));

        assertThat(sent).containsExactly("message one");
    }

    /** A new session's initial presence (RFC 6121 §4.2.1) is the user's status, which then does not wait any more. */
    @Test
    void theInitialPresenceOfANewSessionCarriesTheStatus() {
        Presence available = PresenceBuilder.buildPresence().ofType(Presence.Type.available).build();
        assertThat(outbox.initialPresence(available)).isSameAs(available);

        outbox.rememberPresence(away());
        assertThat(describe(outbox.initialPresence(available))).isEqualTo("presence away");
        outbox.flush(stanza -> sent.add(describe(stanza)));
        assertThat(sent).isEmpty();
    }

    /** A session that breaks while the queue is sent keeps the rest, in order, and does not spin. */
    @Test
    void aSessionThatBreaksAgainKeepsTheRestInOrder() {
        outbox.queue(message("one"));
        outbox.queue(message("two"));
        outbox.queue(message("three"));

        outbox.flush(stanza -> {
            if (sent.size() == 1) {
                throw new SmackException.NotConnectedException();
            }
            sent.add(describe(stanza));
        });

        assertThat(sent).containsExactly("message one");
        assertThat(outbox.waiting()).isEqualTo(2);

        outbox.flush(stanza -> sent.add(describe(stanza)));
        assertThat(sent).containsExactly("message one", "message two", "message three");
    }

    private static Message message(String body) {
        return MessageBuilder.buildMessage().setBody(body).build();
    }

    private static Presence away() {
        return PresenceBuilder.buildPresence().ofType(Presence.Type.available).setMode(Presence.Mode.away).build();
    }

    private static String describe(Stanza stanza) {
        return stanza instanceof Message message ? "message " + message.getBody()
                : "presence " + ((Presence) stanza).getMode();
    }
}
