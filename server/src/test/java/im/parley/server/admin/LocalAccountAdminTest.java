package im.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.modules.XmppScript;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;

/** What the parley command does to an account's live sessions when it goes through the server. */
class LocalAccountAdminTest {
    @TempDir
    Path dir;

    /** XEP-0077 §3.2 asks for {@code <not-authorized/>} on every session of a removed account. */
    @Test
    void deletingAnAccountEndsEverySessionWithNotAuthorized() throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test").user("romeo@parley.test")) {
            TestClient orchard = server.login("romeo@parley.test", "orchard");
            TestClient garden = server.login("romeo@parley.test", "garden");
            LocalAccountAdmin admin = server.accountAdmin();

            admin.delete(romeo());

            assertThat(orchard.output()).containsSubsequence("<not-authorized", "</stream:stream>");
            assertThat(garden.output()).containsSubsequence("<not-authorized", "</stream:stream>");
            assertThat(orchard.isOpen()).isFalse();
            assertThat(garden.isOpen()).isFalse();
            assertThat(server.sessions().sessionsOf(romeo())).isEmpty();
            assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                    .contains("<not-authorized");
        }
    }

    /**
     * RFC 6120 §4.9.3.16 {@code <reset/>}: the credentials the stream was authenticated with are
     * revoked, so the client must authenticate again, with the new password.
     */
    @Test
    void aNewPasswordEndsEverySessionWithResetAndOnlyTheNewOneWorks() throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test").user("romeo@parley.test")) {
            TestClient orchard = server.login("romeo@parley.test", "orchard");
            LocalAccountAdmin admin = server.accountAdmin();

            admin.changePassword(romeo(), "n3w");

            assertThat(orchard.output()).containsSubsequence("<reset", "</stream:stream>");
            assertThat(orchard.isOpen()).isFalse();
            assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                    .contains("<not-authorized");
            assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "n3w"))
                    .contains("<stream:features");
        }
    }

    /** A session waiting for resumption (XEP-0198 §5) ends too: the old password cannot live on in it. */
    @Test
    void aSessionWaitingForResumptionEndsAndCannotBeResumed() throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test").user("romeo@parley.test")) {
            TestClient phone = server.login("romeo@parley.test", "phone");
            Matcher enabled = Pattern.compile("<enabled[^>]* id='([^']+)'")
                    .matcher(phone.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>"));
            assertThat(enabled.find()).isTrue();
            phone.channel().pipeline().close(); // the connection is lost; the session hibernates
            phone.channel().runPendingTasks();
            assertThat(server.sessions().sessionsOf(romeo())).hasSize(1);

            server.accountAdmin().changePassword(romeo(), "n3w");

            assertThat(server.sessions().sessionsOf(romeo())).isEmpty();
            TestClient again = server.connect();
            assertThat(XmppScript.authenticate(again, "romeo", "parley.test", "n3w")).contains("urn:xmpp:sm:3");
            assertThat(again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + enabled.group(1) + "' h='0'/>"))
                    .contains("<failed").contains("item-not-found");
        }
    }

    @Test
    void otherAccountsKeepTheirSessions() throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test").user("romeo@parley.test").user("juliet@parley.test")) {
            TestClient juliet = server.login("juliet@parley.test", "balcony");
            juliet.output();

            server.accountAdmin().delete(romeo());

            assertThat(juliet.output()).isEmpty();
            assertThat(juliet.isOpen()).isTrue();
        }
    }

    @Test
    void deletingAnUnknownAccountSaysSo() throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test")) {
            LocalAccountAdmin admin = server.accountAdmin();

            assertThatThrownBy(() -> admin.delete(romeo())).isInstanceOf(NoSuchAccountException.class);
        }
    }

    private static EntityBareJid romeo() throws Exception {
        return Jids.parseEntityBare("romeo@parley.test");
    }
}
