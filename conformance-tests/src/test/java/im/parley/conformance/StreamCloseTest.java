package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.server.net.GracefulClose;
import java.time.Duration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that closes its stream (RFC 6120 §4.4): the server answers with its own closing tag,
 * ends the session at once, and leaves the connection for the client to end, as the entity that
 * closed first does once it has the other's tag. A TLS {@code close_notify} right behind the
 * closing tag reached clients in the same read, and Smack's non-blocking connection (its
 * "modular" one, which the Smack integration tests run their low-level tests on) drops the data
 * of such a read: it never saw the closing tag.
 */
class StreamCloseTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("RFC 6120 §4.4: a client's closing tag is answered, its session ends, the connection is its to end")
    void clientClosesFirst() throws Exception {
        EntityBareJid account = parley.newAccount("closer");
        try (RawXmppClient client = parley.raw()) {
            EntityFullJid bound = JidCreate.entityFullFrom(
                    client.login(account.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "desk"));
            assertThat(parley.server().sessions().find(bound)).isPresent();

            client.send("</stream:stream>");

            client.expectClosingTag();
            await().atMost(RawXmppClient.WAIT).until(() -> parley.server().sessions().find(bound).isEmpty());
            assertThat(client.staysOpenFor(Duration.ofMillis(300)))
                    .as("no close_notify nor FIN right behind the closing tag").isTrue();
        }
    }

    @Test
    @DisplayName("RFC 6120 §4.4: a client that never ends the connection after the closing tags is disconnected")
    void clientThatKeepsTheConnectionIsDisconnected() {
        EntityBareJid account = parley.newAccount("lingerer");
        try (RawXmppClient client = parley.raw()) {
            client.login(account.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "desk");
            client.send("</stream:stream>");
            client.expectClosingTag();

            assertThat(client.staysOpenFor(GracefulClose.LINGER.plusSeconds(5))).isFalse();
        }
    }
}
