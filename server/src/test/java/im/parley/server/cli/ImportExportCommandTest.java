package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import im.parley.server.storage.OfflineMessage;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.Storage;
import im.parley.server.storage.Subscription;
import im.parley.server.testing.SocketClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import picocli.CommandLine;

/**
 * {@code parley import} and {@code parley export} (XEP-0227) on hand-written files shaped as
 * ejabberd 23.01 and Prosody 0.12 write them; the files those servers really write are imported
 * in {@link ProsodyMigrationTest} and {@link EjabberdMigrationTest}.
 */
class ImportExportCommandTest {
    @TempDir
    Path dir;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void streams() {
        out = new StringWriter();
        err = new StringWriter();
    }

    /**
     * XEP-0227 §5: ejabberd's main file includes one file per host; §4.2 plain password, §4.3
     * roster, §4.4 offline message with its delay stamp, §4.5 private XML, §4.6 vCard.
     */
    @Test
    void importsEjabberdsIncludedHostFile() throws Exception {
        Path export = Files.createDirectories(dir.resolve("export"));
        Files.writeString(export.resolve("20261203-234558.xml"), "<?xml version='1.0' encoding='UTF-8'?>"
                + "<server-data xmlns='urn:xmpp:pie:0' xmlns:xi='http://www.w3.org/2001/XInclude'>"
                + "<xi:include href='20261203-234558_capulet_example.xml'/></server-data>");
        Files.writeString(export.resolve("20261203-234558_capulet_example.xml"), "<?xml version='1.0' encoding='UTF-8'?>"
                + "<host xmlns='urn:xmpp:pie:0' xmlns:xi='http://www.w3.org/2001/XInclude' jid='capulet.example'>"
                + "<user name='juliet' password='r0m30'><offline-messages>"
                + "<message to='juliet@capulet.example' from='nurse@capulet.example' type='chat' id='m1' "
                + "xmlns='jabber:client'><delay from='capulet.example' stamp='2026-12-03T23:45:57.546125Z' "
                + "xmlns='urn:xmpp:delay'>Offline storage</delay><body>hello offline</body></message>"
                + "</offline-messages><vCard xmlns='vcard-temp'><FN>Juliet</FN></vCard>"
                + "<query xmlns='jabber:iq:roster'><item subscription='both' name='Romeo' jid='romeo@montague.example'>"
                + "<group>Friends</group></item><item subscription='none' ask='subscribe' jid='tybalt@capulet.example'/>"
                + "</query><query xmlns='jabber:iq:private'><storage xmlns='storage:rosternotes'><note jid='romeo@"
                + "montague.example'>sweet</note></storage></query></user><user name='nurse' password='pw'/></host>");

        int exit = run("import", export.toString());

        assertThat(exit).as("%s%s", out, err).isZero();
        assertThat(out.toString()).contains("imported juliet@capulet.example: password, 2 contacts, 0 pending "
                + "requests, vCard, 1 private XML, 1 offline messages", "imported nurse@capulet.example",
                "2 accounts imported (0 of them disabled), 0 not imported");
        withStorage(storage -> {
            EntityBareJid juliet = jid("juliet@capulet.example");
            assertThat(storage.accounts().find(juliet, ScramHash.SHA_256).orElseThrow().matches("r0m30")).isTrue();
            assertThat(storage.rosters().roster(juliet).items()).containsExactlyInAnyOrder(
                    new RosterItem(jid("romeo@montague.example"), "Romeo", Set.of("Friends"), Subscription.BOTH,
                            false, false),
                    new RosterItem(jid("tybalt@capulet.example"), null, Set.of(), Subscription.NONE, true, false));
            assertThat(storage.vcards().load(juliet).orElseThrow()).contains("<FN>Juliet</FN>");
            assertThat(storage.privateXml().load(juliet, "storage:rosternotes", "storage").orElseThrow())
                    .contains("sweet");
            OfflineMessage message = storage.offline().list(juliet).get(0);
            // The exporter's delay is taken off (Parley adds its own on delivery, XEP-0160 §2), its stamp kept.
            assertThat(message.storedAt()).isEqualTo(Instant.parse("2026-12-03T23:45:57.546Z"));
            assertThat(message.stanzaXml()).contains("hello offline").doesNotContain("delay");
        });
    }

    /**
     * XEP-0227 §4.2 (version 1.1) SCRAM credentials as Prosody writes them, §4.8 a pending
     * subscription request (Prosody's, in the file's namespace); an account without any usable
     * credential is imported disabled; a malformed record and an existing account are refused
     * and reported while the others are imported.
     */
    @Test
    void scramOnlyAccountsNoPasswordBadRecordsAndExistingAccounts() throws Exception {
        ScramCredential sha1 = ScramCredential.derive(ScramHash.SHA_1, "pencil",
                "salt-of-prosody".getBytes(), 10000);
        Path file = dir.resolve("romeo@montague.example.xml");
        Files.writeString(file, "<server-data xmlns='urn:xmpp:pie:0'><host jid='montague.example'>"
                + "<user name='romeo'>" + scram(sha1)
                + "<scram-credentials mechanism='SCRAM-SHA3-512' xmlns='urn:xmpp:pie:0#scram'><iter-count>1"
                + "</iter-count><salt>AA==</salt><server-key>AA==</server-key><stored-key>AA==</stored-key>"
                + "</scram-credentials>"
                + "<presence from='benvolio@montague.example' type='subscribe'/>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'/></user>"
                + "<user name='mercutio'/>"
                + "<user name='broken'><query xmlns='jabber:iq:roster'><item jid='a@b' subscription='sideways'/>"
                + "</query></user>"
                + "<user name='existing' password='new'/>"
                + "</host><host jid='elsewhere.example'><user name='stranger' password='x'/></host></server-data>");
        assertThat(run("adduser", "existing@montague.example")).isZero();

        int exit = run("import", file.toString());

        assertThat(exit).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(out.toString())
                .contains("imported romeo@montague.example: SCRAM-SHA-1 credentials, 0 contacts, 1 pending requests")
                .contains("note romeo@montague.example: credentials for SCRAM-SHA3-512 cannot be used")
                .contains("note romeo@montague.example: only SCRAM-SHA-1 credentials")
                .contains("note romeo@montague.example: not imported: <pubsub xmlns='http://jabber.org/protocol/pubsub'/>")
                .contains("imported mercutio@montague.example DISABLED (no password Parley can use)")
                .contains("note mercutio@montague.example: set a password (parley passwd mercutio@montague.example)")
                .contains("NOT imported broken@montague.example: roster item a@b has subscription 'sideways'")
                .contains("NOT imported existing@montague.example: the account exists already")
                .contains("NOT imported stranger@elsewhere.example: domain elsewhere.example is not configured")
                .contains("2 accounts imported (1 of them disabled), 3 not imported");
        withStorage(storage -> {
            EntityBareJid romeo = jid("romeo@montague.example");
            assertThat(storage.accounts().find(romeo, ScramHash.SHA_1).orElseThrow().matches("pencil")).isTrue();
            assertThat(storage.accounts().find(romeo, ScramHash.SHA_256)).isEmpty();
            assertThat(storage.rosters().pendingSubscriptions(romeo)).singleElement().satisfies(request -> {
                assertThat(request.contact().toString()).isEqualTo("benvolio@montague.example");
                assertThat(request.stanza()).contains("xmlns=\"jabber:client\"").contains("type=\"subscribe\"")
                        .contains("to=\"romeo@montague.example\"");
            });
            assertThat(storage.accounts().listDisabled(jid("romeo@montague.example").asDomainBareJid()))
                    .containsExactly(jid("mercutio@montague.example"));
            assertThat(storage.accounts().exists(jid("broken@montague.example"))).isFalse();
            assertThat(storage.accounts().find(jid("existing@montague.example"), ScramHash.SHA_256).orElseThrow()
                    .matches("pw")).isTrue();
        });
    }

    /** XEP-0227 §5: a host file is part of the main file that includes it; alone in a directory it is pointed out. */
    @Test
    void aDirectoryWithoutItsMainFileImportsNothingAndSaysWhy() throws Exception {
        Path export = Files.createDirectories(dir.resolve("hosts-only"));
        Files.writeString(export.resolve("x_capulet_example.xml"), "<host xmlns='urn:xmpp:pie:0' jid='capulet.example'>"
                + "<user name='juliet' password='pw'/></host>");

        assertThat(run("import", export.toString())).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(out.toString()).contains("x_capulet_example.xml: a <host/> file that no <server-data/> file of the "
                + "directory includes; skipped").contains("0 accounts imported");

        assertThat(run("import", export.resolve("x_capulet_example.xml").toString())).isZero();
        assertThat(out.toString()).contains("imported juliet@capulet.example");
    }

    @Test
    void malformedXmlNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad.xml");
        Files.writeString(file, "<server-data xmlns='urn:xmpp:pie:0'>\n<host jid='montague.example'>\n<user name='a'>"
                + "</host>");

        assertThat(run("import", file.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).startsWith("parley: " + file + ": not well-formed XML at line 3");
    }

    /**
     * Parley → export → a fresh Parley → import gives the same accounts, credentials (the same
     * SCRAM data, so the same passwords work), rosters, pending requests, vCards, private XML
     * and offline messages; the export file is owner-only and never overwritten.
     */
    @Test
    void roundTripThroughAFreshServer() throws Exception {
        assertThat(run("adduser", "juliet@capulet.example")).isZero();
        assertThat(run("adduser", "nurse@capulet.example")).isZero();
        assertThat(run("disable", "nurse@capulet.example")).isZero();
        EntityBareJid juliet = jid("juliet@capulet.example");
        Instant stored = Instant.parse("2026-11-30T10:15:30.123Z");
        withStorage(storage -> {
            storage.rosters().update(juliet, jid("romeo@montague.example"), state -> new im.parley.server.storage
                    .ContactState(Optional.of(new RosterItem(jid("romeo@montague.example"), "Romeo", Set.of("Love", "Enemies"),
                    Subscription.TO, false, true)), Optional.of("<presence xmlns=\"jabber:client\" "
                    + "from=\"romeo@montague.example\" to=\"juliet@capulet.example\" type=\"subscribe\"/>")));
            storage.vcards().save(juliet, "<vCard xmlns=\"vcard-temp\"><FN>Juliet</FN></vCard>");
            storage.privateXml().save(juliet, "storage:rosternotes", "storage",
                    "<storage xmlns=\"storage:rosternotes\"/>");
            storage.offline().append(juliet, "<message xmlns=\"jabber:client\" from=\"romeo@montague.example/x\" "
                    + "to=\"juliet@capulet.example\" type=\"chat\"><body>o</body></message>", stored, 100);
        });
        Path file = dir.resolve("parley.xml");

        assertThat(run("export", file.toString())).as("%s", err).isZero();
        assertThat(out.toString()).isEqualTo("exported 2 accounts to " + file + "\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(run("export", file.toString())).isEqualTo(ExitCodes.USER_ERROR);

        try (MigrationTarget fresh = new MigrationTarget(dir.resolve("fresh"), "capulet.example",
                "montague.example")) {
            List<String> imported = fresh.importFrom(file);
            assertThat(imported.get(0)).as("%s", imported).isEqualTo("0");
            assertThat(imported.get(1)).contains("imported nurse@capulet.example DISABLED (disabled in the export)");

            List<String> before = snapshot(config(dir), juliet);
            List<String> after = snapshot(fresh.config(), juliet);
            assertThat(after).isEqualTo(before);
            assertThat(after.get(0)).contains("SHA_1").contains("SHA_256").contains("SHA_512");

            fresh.start();
            // Import and export work on the database directly: never beside a running server.
            List<String> refused = fresh.parley("export", dir.resolve("again.xml").toString());
            assertThat(refused.get(0)).isEqualTo(Integer.toString(ExitCodes.USER_ERROR));
            assertThat(refused.get(2)).contains("a server runs on this data_dir; stop it first");
            SocketClient client = fresh.bind("juliet@capulet.example", "pw", ScramHash.SHA_512);
            assertThat(MigrationTarget.get(client, "r1", "<query xmlns='jabber:iq:roster'/>").element("item")
                    .attributeValue("jid")).isEqualTo("romeo@montague.example");
        }
    }

    private List<String> snapshot(Path configFile, EntityBareJid juliet) throws Exception {
        ParleyConfig loaded = ConfigLoader.load(configFile);
        try (Database database = Database.open(loaded.storage(), loaded.dataDir())) {
            Storage storage = new JdbcStorage(database.dataSource());
            StringBuilder credentials = new StringBuilder();
            for (ScramHash hash : ScramHash.values()) {
                storage.accounts().find(juliet, hash).ifPresent(c -> credentials.append(hash).append(':')
                        .append(Base64.getEncoder().encodeToString(c.salt())).append(c.iterations())
                        .append(Base64.getEncoder().encodeToString(c.storedKey()))
                        .append(Base64.getEncoder().encodeToString(c.serverKey())).append(' '));
            }
            OfflineMessage offline = storage.offline().list(juliet).get(0);
            return List.of(credentials.toString(),
                    storage.accounts().list(juliet.asDomainBareJid()).toString(),
                    storage.accounts().listDisabled(juliet.asDomainBareJid()).toString(),
                    storage.rosters().roster(juliet).items().toString(),
                    storage.rosters().pendingSubscriptions(juliet).toString().replace('\'', '"'),
                    storage.vcards().load(juliet).toString(),
                    storage.privateXml().list(juliet).toString(),
                    offline.stanzaXml().replace('\'', '"') + " " + offline.storedAt());
        }
    }

    private static String scram(ScramCredential credential) {
        Base64.Encoder base64 = Base64.getEncoder();
        return "<scram-credentials mechanism='" + credential.hash().mechanismName() + "' xmlns='urn:xmpp:pie:0#scram'>"
                + "<server-key>" + base64.encodeToString(credential.serverKey()) + "</server-key>"
                + "<stored-key>" + base64.encodeToString(credential.storedKey()) + "</stored-key>"
                + "<iter-count>" + credential.iterations() + "</iter-count>"
                + "<salt>" + base64.encodeToString(credential.salt()) + "</salt></scram-credentials>";
    }

    private Path config(Path base) throws Exception {
        Path file = base.resolve("parley.yml");
        if (!Files.exists(file)) {
            Files.writeString(file, "domains: [capulet.example, montague.example]\n"
                    + "data_dir: \"" + base.resolve("data").toString().replace("\\", "/") + "\"\n");
        }
        return file;
    }

    private void withStorage(Consumer<Storage> check) throws Exception {
        ParleyConfig loaded = ConfigLoader.load(config(dir));
        try (Database database = Database.open(loaded.storage(), loaded.dataDir())) {
            check.accept(new JdbcStorage(database.dataSource()));
        }
    }

    private static EntityBareJid jid(String text) {
        try {
            return Jids.parseEntityBare(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private int run(String... args) throws Exception {
        return run(config(dir), args);
    }

    private int run(Path configFile, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = ParleyMain.commandLine(null, new ByteArrayInputStream("pw\n".getBytes()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] withConfig = java.util.Arrays.copyOf(args, args.length + 2);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = configFile.toString();
        return commandLine.execute(withConfig);
    }
}
