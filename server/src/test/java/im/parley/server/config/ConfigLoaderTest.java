package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.net.ByteRate;
import im.parley.core.tls.TlsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWithoutAFile() {
        ParleyConfig config = ConfigLoader.defaults();

        assertThat(config).isEqualTo(ParleyConfig.defaults());
        assertThat(config.domains()).containsExactly("localhost");
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        assertThat(ConfigLoader.load(write("# nothing here\n"))).isEqualTo(ParleyConfig.defaults());
    }

    @Test
    void adminsAreBareJidsAtTheTopLevel() throws Exception {
        ParleyConfig config = ConfigLoader.load(write("admins: [\"admin@localhost\"]\n"));

        assertThat(config.option(ServerAdmins.ADMINS)).containsExactly("admin@localhost");
        assertThat(ParleyConfig.defaults().option(ServerAdmins.ADMINS)).isEmpty();
    }

    @Test
    void fullExample() throws Exception {
        ParleyConfig config = ConfigLoader.load(write("""
                domains: [example.org, "Chat.Example.NET"]
                data_dir: /var/lib/parley
                c2s: {enabled: true, address: "0.0.0.0", port: 5222}
                direct_tls: {enabled: false, address: "::", port: 5223}
                s2s:
                  enabled: true
                  address: "0.0.0.0"
                  port: 5269
                http: {enabled: true, address: "127.0.0.1", port: 5280}
                tls:
                  starttls_required: false
                  provider: jdk
                  certificates:
                    example.org:
                      certificate: /etc/certs/example.org/fullchain.pem
                      private_key: /etc/certs/example.org/privkey.pem
                    upload.example.org:
                      certificate: /etc/certs/upload.crt
                      private_key: /etc/certs/upload.key
                  certificates_dir: /etc/letsencrypt/live
                limits:
                  max_stanza_size_before_auth: 4096
                  max_stanza_size: 65536
                  max_depth: 32
                  negotiation_timeout: 30s
                  max_auth_failures: 3
                  auth_failure_window: PT10M
                  idle_parser_release: 2m
                  max_attributes: 50
                  max_namespace_declarations: 200
                  max_names: 300
                  c2s_read_rate: 0
                  c2s_read_burst: 1000
                  s2s_read_rate: 50000
                  s2s_read_burst: 100000
                storage:
                  jdbc_url: "jdbc:postgresql://db.example.org/parley"
                  username: parley
                  password: "s3cret"
                """));

        // Domains are kept in their prepared form (RFC 7622 §3.2: case-folded).
        assertThat(config.domains()).containsExactly("example.org", "chat.example.net");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/parley"));
        assertThat(config.c2s()).isEqualTo(ListenerConfig.on("0.0.0.0", 5222));
        assertThat(config.directTls()).isEqualTo(ListenerConfig.off("::", 5223));
        assertThat(config.s2s()).isEqualTo(ListenerConfig.on("0.0.0.0", 5269));
        assertThat(config.http()).isEqualTo(ListenerConfig.on("127.0.0.1", 5280));
        assertThat(config.tls().starttlsRequired()).isFalse();
        // A service domain of a hosted domain may have a certificate of its own.
        assertThat(config.tls().certificates()).containsOnly(java.util.Map.entry("example.org", new CertificateFiles(
                Path.of("/etc/certs/example.org/fullchain.pem"), Path.of("/etc/certs/example.org/privkey.pem"))),
                java.util.Map.entry("upload.example.org", new CertificateFiles(Path.of("/etc/certs/upload.crt"),
                        Path.of("/etc/certs/upload.key"))));
        assertThat(config.tls().certificatesDirectory()).isEqualTo(Path.of("/etc/letsencrypt/live"));
        assertThat(config.tls().provider()).isEqualTo(TlsProvider.JDK);
        assertThat(config.limits()).isEqualTo(new LimitsConfig(4096, 65536, 32, Duration.ofSeconds(30), 3,
                Duration.ofMinutes(10), Duration.ofMinutes(2),
                new InputLimits(50, 200, 300, new ByteRate(0, 1000), new ByteRate(50000, 100000))));
        assertThat(config.storage()).isEqualTo(new StorageConfig("jdbc:postgresql://db.example.org/parley", "parley",
                "s3cret"));
    }

    @Test
    void partialSectionsMergeWithTheirDefaults() throws Exception {
        ParleyConfig config = ConfigLoader.load(write("""
                c2s:
                  port: 15222
                limits:
                  max_depth: 10
                s2s:
                """));

        ParleyConfig defaults = ParleyConfig.defaults();
        assertThat(config.c2s()).isEqualTo(defaults.c2s().withPort(15222));
        assertThat(config.limits().maxDepth()).isEqualTo(10);
        assertThat(config.limits().maxStanzaSize()).isEqualTo(defaults.limits().maxStanzaSize());
        assertThat(config.s2s()).isEqualTo(defaults.s2s());
        assertThat(config.domains()).isEqualTo(defaults.domains());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            500ms | PT0.5S
            60s   | PT60S
            5m    | PT5M
            2h    | PT2H
            1d    | PT24H
            2w    | PT336H
            1y    | PT8760H
            PT90S | PT90S
            """)
    void durations(String written, String expected) throws Exception {
        ParleyConfig config = ConfigLoader.load(write("limits: {negotiation_timeout: \"" + written + "\"}\n"));

        assertThat(config.limits().negotiationTimeout()).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            'c2s: {port: 70000}'                        | 'c2s.port: must be between 0 and 65535, got 70000'
            'c2s: {port: -1}'                           | 'c2s.port: must be between 0 and 65535, got -1'
            'c2s: {port: "5222"}'                       | 'c2s.port: expected an integer, got the string "5222"'
            'c2s: {prot: 5222}'                         | 'c2s.prot: unknown key (known keys in c2s: enabled, address, port)'
            'colour: blue'                              | 'colour: unknown key (known keys at the top level: domains, data_dir, admins, c2s,'
            'c2s: 5222'                                 | 'c2s: expected a section with the keys enabled, address, port, got the number 5222'
            'c2s: {enabled: "yes"}'                     | 'c2s.enabled: expected true or false, got the string "yes"'
            'http: {address: 127}'                      | 'http.address: expected a string, got the number 127 (quote it to make it a string)'
            'limits: {max_stanza_size: 0}'              | 'limits.max_stanza_size: must be at least 1, got 0'
            'limits: {max_depth: -5}'                   | 'limits.max_depth: must be at least 1, got -5'
            'limits: {max_stanza_size: 1.5}'            | 'limits.max_stanza_size: expected an integer, got the number 1.5'
            'limits: {negotiation_timeout: 60}'         | 'limits.negotiation_timeout: expected a duration such as 60s, 5m or PT1M, got the number 60'
            'limits: {negotiation_timeout: soon}'       | 'limits.negotiation_timeout: expected a duration such as 60s, 5m or PT1M, got "soon"'
            'limits: {auth_failure_window: 0s}'         | 'limits.auth_failure_window: must be longer than zero, got "0s"'
            'domains: []'                               | 'domains: at least one domain is required'
            'domains: example.org'                      | 'domains: expected a list of domains, got the string "example.org"'
            'domains: ["exa mple.org"]'                 | 'domains[0]: not a valid domain (RFC 7622 §3.2)'
            'domains: [a.example, "user@b.example"]'    | 'domains[1]: not a valid domain (RFC 7622 §3.2)'
            'domains: [a.example, A.example]'           | 'domains[1]: domain a.example is listed twice'
            'data_dir: ""'                              | 'data_dir: must not be empty'
            'admins: ["admin@example.org/console"]'     | 'admins[0]: expected a bare JID (user@domain), got "admin@example.org/console"'
            'storage: {jdbc_url: 5}'                    | 'storage.jdbc_url: expected a string, got the number 5'
            'tls: {provider: gnutls}'                   | 'tls.provider: expected one of auto, openssl, jdk, got the string "gnutls"'
            'limits: {idle_parser_release: 0s}'         | 'limits.idle_parser_release: must be longer than zero, got "0s"'
            'tls: {certificates: {localhost: {certificate: a.pem}}}' | 'tls.certificates.localhost.private_key: is required'
            'tls: {certificates: {localhost: {certificate: a.pem, private_key: b.pem, chain: c.pem}}}' | 'tls.certificates.localhost.chain: unknown key (known keys here: certificate, private_key)'
            'tls: {certificates: {other.example: {certificate: a.pem, private_key: b.pem}}}' | 'tls.certificates.other.example: domain other.example is neither configured nor a service domain of one (domains: localhost)'
            """)
    void invalidConfigNamesTheKey(String yaml, String expectedStart) throws Exception {
        Path file = write(yaml + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expectedStart);
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        Path file = write("""
                domains: [example.org]
                c2s:
                  address: "0.0.0.0"
                  port: 70000
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .hasMessage("c2s.port: must be between 0 and 65535, got 70000 (" + file + ", line 4)");
    }

    @Test
    void yamlSyntaxErrorsNameTheLine() throws Exception {
        Path file = write("domains: [example.org\nc2s: {port: 1}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid YAML (" + file + ", line ");
    }

    @Test
    void duplicateKeysAreRefused() throws Exception {
        Path file = write("c2s: {port: 1}\nc2s: {port: 2}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c2s");
    }

    @Test
    void missingFileIsAConfigError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read configuration file");
    }

    @Test
    void nullStorageValuesMeanEmbedded() throws Exception {
        ParleyConfig config = ConfigLoader.load(write("storage: {jdbc_url: null, username: ~}\n"));

        assertThat(config.storage()).isEqualTo(StorageConfig.defaults());
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("parley.yml"), yaml);
    }
}
