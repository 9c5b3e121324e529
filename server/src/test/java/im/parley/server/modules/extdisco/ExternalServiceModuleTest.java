package im.parley.server.modules.extdisco;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External Service Discovery (XEP-0215) without sockets: the lists, the credentials, who may ask. */
class ExternalServiceModuleTest {

    private static final String SECRET = "a shared secret";
    private static final ExternalService STUN = new ExternalService("stun.parley.test", 3478, "stun", "udp", false,
            null);
    private static final ExternalService TURN_UDP = new ExternalService("turn.parley.test", 3478, "turn", "udp", true,
            "Relay");
    private static final ExternalService TURN_TCP = new ExternalService("turn.parley.test", 443, "turns", "tcp", true,
            null);
    private static final String SERVICES = "<iq type='get' id='s1' to='parley.test'><services xmlns='urn:xmpp:extdisco:2'";

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TestServer server;

    private TestClient start(ParleyConfig config) throws Exception {
        server = new TestServer(config.withDomains(List.of("parley.test", "other.test")).withDataDir(dir), clock,
                ModuleCatalog.of(TestServer.discoveredModulesReplacing(ExternalServiceModule.class,
                        new ExternalServiceModule())));
        server.user("romeo@parley.test").user("mallory@other.test");
        return server.login("romeo@parley.test", "garden");
    }

    private TestClient startWithServices() throws Exception {
        return start(ParleyConfig.defaults().with(ExternalServiceModule.SERVICES, List.of(STUN, TURN_UDP, TURN_TCP))
                .with(ExternalServiceModule.SECRET, SECRET)
                .with(ExternalServiceModule.CREDENTIALS_TTL, Duration.ofHours(2)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerAnnouncesTheFeatureAndListsAllServices() throws Exception {
        TestClient romeo = startWithServices();

        // XEP-0215 §5: "it MUST report that fact by including a service discovery feature of urn:xmpp:extdisco:2".
        Element info = iq(romeo, "<iq type='get' id='d1' to='parley.test'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var"))
                .contains(ExternalServiceModule.NAMESPACE);

        // §3.1: "A requesting entity requests all services by sending a <services/> element to its server".
        List<Element> services = iq(romeo, SERVICES + "/></iq>").element("services").elements("service");
        assertThat(services).extracting(s -> s.attributeValue("host") + ":" + s.attributeValue("port") + "/"
                + s.attributeValue("type") + "/" + s.attributeValue("transport"))
                .containsExactly("stun.parley.test:3478/stun/udp", "turn.parley.test:3478/turn/udp",
                        "turn.parley.test:443/turns/tcp");
        Element stun = services.get(0);
        assertThat(stun.attributeValue("restricted")).isNull();
        assertThat(stun.attributeValue("username")).isNull();
        assertThat(services.get(1).attributeValue("name")).isEqualTo("Relay");
    }

    @Test
    void restrictedServicesCarryTurnRestCredentialsThatExpire() throws Exception {
        TestClient romeo = startWithServices();

        Element turn = iq(romeo, SERVICES + " type='turn'/></iq>").element("services").element("service");

        // draft-uberti-behave-turn-rest-00 §2.2: username "<expiry timestamp>:<user>", password
        // base64(HMAC-SHA1(secret, username)), which coturn's use-auth-secret recomputes.
        long expiry = Instant.parse("2026-01-01T02:00:00Z").getEpochSecond();
        assertThat(turn.attributeValue("restricted")).isEqualTo("1");
        assertThat(turn.attributeValue("username")).isEqualTo(expiry + ":romeo@parley.test");
        assertThat(turn.attributeValue("password")).isEqualTo(hmacSha1(SECRET, expiry + ":romeo@parley.test"));
        // XEP-0215 §2: expires "MUST adhere to the dateTime format specified in XEP-0082 and MUST be expressed in UTC".
        assertThat(turn.attributeValue("expires")).isEqualTo("2026-01-01T02:00:00Z");

        // Within one minute the same credentials (their expiry rounds up to the minute).
        clock.advance(Duration.ofSeconds(20));
        Element again = iq(romeo, SERVICES + " type='turn'/></iq>").element("services").element("service");
        assertThat(again.attributeValue("expires")).isEqualTo("2026-01-01T02:01:00Z");
        clock.advance(Duration.ofSeconds(30));
        Element sameMinute = iq(romeo, SERVICES + " type='turn'/></iq>").element("services").element("service");
        assertThat(sameMinute.attributeValue("password")).isEqualTo(again.attributeValue("password"));

        clock.advance(Duration.ofMinutes(30).minusSeconds(50));
        Element later = iq(romeo, SERVICES + " type='turn'/></iq>").element("services").element("service");
        assertThat(later.attributeValue("expires")).isEqualTo("2026-01-01T02:30:00Z");
    }

    @Test
    void aTypeSelectsItsServicesOnly() throws Exception {
        TestClient romeo = startWithServices();

        // §3.2: "requests services of a particular type by sending a <services/> element including a 'type' attribute".
        Element answer = iq(romeo, SERVICES + " type='stun'/></iq>").element("services");
        assertThat(answer.attributeValue("type")).isEqualTo("stun");
        assertThat(answer.elements("service")).extracting(s -> s.attributeValue("host"))
                .containsExactly("stun.parley.test");
        assertThat(iq(romeo, SERVICES + " type='ftp'/></iq>").element("services").elements()).isEmpty();
    }

    @Test
    void credentialsAreGivenForANamedServiceAndItsPort() throws Exception {
        TestClient romeo = startWithServices();

        // §3.3: "a <service/> element which MUST include the 'host' and 'type' attributes ... (the
        // 'port' attribute MAY be provided if there are multiple services with the same host and type".
        Element credentials = iq(romeo, "<iq type='get' id='c1' to='parley.test'><credentials xmlns='urn:xmpp:extdisco:2'>"
                + "<service host='turn.parley.test' type='turn' port='3478'/></credentials></iq>").element("credentials");
        assertThat(credentials.elements("service")).singleElement().satisfies(service -> {
            assertThat(service.attributeValue("port")).isEqualTo("3478");
            assertThat(service.attributeValue("password")).isEqualTo(hmacSha1(SECRET,
                    service.attributeValue("username")));
        });

        // §3.3: "If the server cannot obtain credentials at the service, it returns an appropriate
        // stanza error, such as <item-not-found/>".
        assertThat(condition(iq(romeo, "<iq type='get' id='c2' to='parley.test'><credentials xmlns='urn:xmpp:extdisco:2'>"
                + "<service host='turn.parley.test' type='turn' port='9'/></credentials></iq>"))).isEqualTo("item-not-found");
        assertThat(condition(iq(romeo, "<iq type='get' id='c3' to='parley.test'><credentials xmlns='urn:xmpp:extdisco:2'>"
                + "<service host='turn.parley.test'/></credentials></iq>"))).isEqualTo("bad-request");
    }

    @Test
    void onlyTheHostsOwnAccountsGetAnAnswer() throws Exception {
        startWithServices();
        TestClient mallory = server.login("mallory@other.test", "garden");

        // §2: the responding entity MAY return "<forbidden/> if the requesting entity does not have
        // permission to receive the list of external services".
        assertThat(condition(iq(mallory, SERVICES + "/></iq>"))).isEqualTo("forbidden");
        assertThat(condition(iq(mallory, "<iq type='get' id='c1' to='parley.test'><credentials xmlns='urn:xmpp:extdisco:2'>"
                + "<service host='turn.parley.test' type='turn'/></credentials></iq>"))).isEqualTo("forbidden");
    }

    @Test
    void withoutServicesThereIsNoFeatureAndTheServerDoesNotKnowTheProtocol() throws Exception {
        TestClient romeo = start(ParleyConfig.defaults());

        Element info = iq(romeo, "<iq type='get' id='d1' to='parley.test'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var"))
                .doesNotContain(ExternalServiceModule.NAMESPACE);
        // §2: "such as <service-unavailable/> if the responding entity does not support this protocol".
        assertThat(condition(iq(romeo, SERVICES + "/></iq>"))).isEqualTo("service-unavailable");
    }

    @Test
    void theSecretComesFromItsFileAndARestrictedServiceNeedsOne() throws Exception {
        Path secretFile = dir.resolve("turn.secret");
        Files.writeString(secretFile, "from the file\n");
        TestClient romeo = start(ParleyConfig.defaults().with(ExternalServiceModule.SERVICES, List.of(TURN_UDP))
                .with(ExternalServiceModule.SECRET, "ignored").with(ExternalServiceModule.SECRET_FILE, secretFile));
        Element turn = iq(romeo, SERVICES + "/></iq>").element("services").element("service");
        assertThat(turn.attributeValue("password")).isEqualTo(hmacSha1("from the file", turn.attributeValue("username")));
        server.close();
        server = null;

        assertThatThrownBy(() -> start(ParleyConfig.defaults().with(ExternalServiceModule.SERVICES, List.of(TURN_UDP))))
                .hasStackTraceContaining("extdisco.secret_file");
    }

    @Test
    void theServicesAreReadFromYamlAsDocumentedAndMistakesNameTheirKey() throws Exception {
        ParleyConfig config = ConfigLoader.parse("""
                extdisco:
                  services:
                    - {host: "turn.example.org", port: 3478, type: "stun", transport: "udp"}
                    - {host: "turn.example.org", port: 3478, type: "turn", transport: "udp", restricted: true}
                  secret_file: /etc/parley/turn.secret
                """, "parley.yml");

        assertThat(config.option(ExternalServiceModule.SERVICES)).containsExactly(
                new ExternalService("turn.example.org", 3478, "stun", "udp", false, null),
                new ExternalService("turn.example.org", 3478, "turn", "udp", true, null));
        assertThatThrownBy(() -> ConfigLoader.parse("extdisco:\n  services:\n    - {host: a.example, port: 3478, "
                + "type: ftp}\n", "parley.yml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("extdisco.services[0].type");
        assertThatThrownBy(() -> ConfigLoader.parse("extdisco:\n  services:\n    - {host: a.example, port: 3478, "
                + "type: stun, restricted: true}\n", "parley.yml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("only TURN services get credentials");
    }

    private static String hmacSha1(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
