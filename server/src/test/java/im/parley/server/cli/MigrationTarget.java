package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.server.ParleyServer;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.TlsConfig;
import im.parley.server.testing.SocketClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import picocli.CommandLine;

/**
 * The Parley an export moves to: its configuration for its domains, {@code parley import} run
 * in-process as an operator runs it, then the server started on loopback for clients to check
 * what arrived.
 */
final class MigrationTarget implements AutoCloseable {
    private final Path config;
    private final List<SocketClient> clients = new ArrayList<>();
    private ParleyServer server;

    MigrationTarget(Path dir, String... domains) throws IOException {
        config = Files.createDirectories(dir).resolve("parley.yml");
        Files.writeString(config, "domains: [" + String.join(", ", domains) + "]\n"
                + "data_dir: \"" + dir.resolve("data").toString().replace("\\", "/") + "\"\n");
    }

    Path config() {
        return config;
    }

    /** {@code parley import PATH}: the exit code, then standard output and error. */
    List<String> importFrom(Path export) {
        return parley("import", export.toString());
    }

    /** A {@code parley} command on this configuration: the exit code, then standard output and error. */
    List<String> parley(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ParleyMain.commandLine(null, new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> withConfig = new ArrayList<>(List.of(args));
        withConfig.addAll(List.of("--config", config.toString()));
        int exit = commandLine.execute(withConfig.toArray(String[]::new));
        return List.of(Integer.toString(exit), out.toString(), err.toString());
    }

    /** Starts the server on the imported database: c2s on 127.0.0.1 without TLS, nothing else listening. */
    void start() throws Exception {
        server = new ParleyServer(ConfigLoader.load(config)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withS2s(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.off("127.0.0.1", 0))
                .withTls(new TlsConfig(false, Map.of())));
        server.start();
    }

    /** A client logged in with the given SCRAM mechanism, bound, without presence yet. */
    SocketClient bind(String bareJid, String password, ScramHash hash) throws IOException {
        SocketClient client = new SocketClient("127.0.0.1", server.c2sPort());
        clients.add(client);
        return client.bind(bareJid, password, "moved", hash);
    }

    /** Sends an IQ get and returns its result's child. */
    static Element get(SocketClient client, String id, String payload) {
        client.send("<iq type='get' id='" + id + "'>" + payload + "</iq>");
        Element result = client.next(e -> id.equals(e.attributeValue("id")));
        if (!"result".equals(result.attributeValue("type"))) {
            throw new AssertionError("IQ " + payload + " failed: " + result.asXML());
        }
        return result.elements().get(0);
    }

    /**
     * What the migration tests give alice and check after the move: her one roster item
     * ({@code bob}, group Friends, returned for the checks that differ), her vCard (FN Alice
     * Liddell) and her private roster notes containing {@code note}.
     */
    static Element checkMovedData(SocketClient alice, String domain, String subscription, String note) {
        Element item = get(alice, "r1", "<query xmlns='jabber:iq:roster'/>").element("item");
        assertThat(item.attributeValue("jid")).isEqualTo("bob@" + domain);
        assertThat(item.attributeValue("subscription")).isEqualTo(subscription);
        assertThat(item.elementText("group")).isEqualTo("Friends");
        assertThat(get(alice, "v1", "<vCard xmlns='vcard-temp'/>").elementText("FN")).isEqualTo("Alice Liddell");
        assertThat(get(alice, "p1", "<query xmlns='jabber:iq:private'><storage xmlns='storage:rosternotes'/></query>")
                .asXML()).contains(note);
        return item;
    }

    @Override
    public void close() throws IOException {
        for (SocketClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
