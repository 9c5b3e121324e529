package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.server.federation.PeerScripts;
import im.parley.server.testing.SocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving from ejabberd 23.01 (Debian package {@code ejabberd}) to Parley with XEP-0227: a real
 * ejabberd on 127.0.0.72, storing passwords in plain (its default) or as SCRAM
 * ({@code auth_password_format}), gets a roster item, a vCard, private XML (XEP-0048 bookmarks
 * among it) and an offline message through its own admin commands; {@code ejabberdctl
 * export_piefxis DIR} writes a main file that includes one file per host (XEP-0227 §5);
 * {@code parley import DIR} takes them and the user logs in to Parley with the same password,
 * finds the bookmark in PEP (XEP-0402 §5.3, XEP-0411) and receives the offline message with its
 * original delay stamp. A missing ejabberd fails the test.
 */
class EjabberdMigrationTest {
    private static final String DOMAIN = "ejabberd-export.test";
    private static final String ADDRESS = "127.0.0.72";

    @ParameterizedTest(name = "auth_password_format: {0}")
    @CsvSource({"plain, 'password', SHA_256", "scram, 'SCRAM-SHA-1 credentials', SHA_1"})
    void usersRostersVcardsPrivateXmlAndOfflineMessagesMoveToParley(String passwordFormat, String imported,
            ScramHash login, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        PeerScripts scripts = new PeerScripts(dir).with("EJABBERD_PASSWORD_FORMAT", passwordFormat)
                .with("EJABBERD_LOGLEVEL", "warning");
        Path export = Files.createDirectories(dir.resolve("export"));
        Instant beforeMessage;
        scripts.run("start-ejabberd.sh", DOMAIN, ADDRESS);
        try {
            scripts.run("ejabberd-adduser.sh", DOMAIN, "alice", "alice-secret");
            scripts.run("ejabberd-adduser.sh", DOMAIN, "bob", "bob-secret");
            ctl(scripts, "add_rosteritem", "alice", DOMAIN, "bob", DOMAIN, "Bobby", "Friends", "both");
            ctl(scripts, "set_vcard", "alice", DOMAIN, "FN", "Alice Liddell");
            ctl(scripts, "private_set", "alice", DOMAIN,
                    "<storage xmlns='storage:rosternotes'><note jid='hatter@" + DOMAIN + "'>tea</note></storage>");
            ctl(scripts, "private_set", "alice", DOMAIN, "<storage xmlns='storage:bookmarks'><conference "
                    + "jid='tea@conference." + DOMAIN + "' name='Tea party' autojoin='true'/></storage>");
            beforeMessage = Instant.now();
            ctl(scripts, "send_message", "chat", "bob@" + DOMAIN, "alice@" + DOMAIN, "", "hello from ejabberd");
            ctl(scripts, "export_piefxis", export.toString());
        } finally {
            scripts.run("stop-ejabberd.sh", DOMAIN);
        }

        try (MigrationTarget parley = new MigrationTarget(dir.resolve("parley"), DOMAIN)) {
            List<String> result = parley.importFrom(export);
            assertThat(result.get(0)).as("%s", result).isEqualTo("0");
            assertThat(result.get(1))
                    .contains("imported alice@" + DOMAIN + ": " + imported + ", 1 contacts, 0 pending requests, "
                            + "vCard, 2 private XML, 1 offline messages")
                    .contains("imported bob@" + DOMAIN)
                    .contains("2 accounts imported (0 of them disabled), 0 not imported");

            parley.start();
            SocketClient alice = parley.bind("alice@" + DOMAIN, "alice-secret", login);
            Element item = MigrationTarget.checkMovedData(alice, DOMAIN, "both", "tea");
            assertThat(item.attributeValue("name")).isEqualTo("Bobby");
            Element bookmark = MigrationTarget.get(alice, "b1", "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='urn:xmpp:bookmarks:1'/></pubsub>").element("items").element("item");
            assertThat(bookmark.attributeValue("id")).isEqualTo("tea@conference." + DOMAIN);
            assertThat(bookmark.elements().get(0).attributeValue("name")).isEqualTo("Tea party");
            // XEP-0160 §2: the offline message on the first available presence, stamped when ejabberd stored it.
            alice.send("<presence/>");
            Element message = alice.nextMessage();
            assertThat(message.elementText("body")).isEqualTo("hello from ejabberd");
            List<Element> delays = message.elements(QName.get("delay", "urn:xmpp:delay"));
            assertThat(delays).hasSize(1);
            assertThat(Instant.parse(delays.get(0).attributeValue("stamp")))
                    .isBetween(beforeMessage.minusSeconds(5), Instant.now());
        }
    }

    private static void ctl(PeerScripts scripts, String... command) throws Exception {
        String[] args = new String[command.length + 1];
        args[0] = DOMAIN;
        System.arraycopy(command, 0, args, 1, command.length);
        scripts.run("ejabberd-ctl.sh", args);
    }
}
