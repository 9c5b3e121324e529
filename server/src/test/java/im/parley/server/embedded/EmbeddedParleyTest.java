package im.parley.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class EmbeddedParleyTest {

    @Test
    void startsOnFreeLoopbackPortsWithTheGivenDomainsAndUsers() throws Exception {
        try (EmbeddedParley parley = EmbeddedParley.builder()
                .domain("example.test").domain("other.test")
                .user("alice", "secret").user("bob@other.test", "pw")
                .start()) {
            assertThat(parley.host()).isEqualTo("127.0.0.1");
            assertThat(parley.c2sPort()).isPositive();
            assertThat(parley.directTlsPort()).isPositive().isNotEqualTo(parley.c2sPort());
            assertThat(parley.domains()).containsExactly("example.test", "other.test");
            assertThat(parley.server().accounts().exists(JidCreate.entityBareFrom("alice@example.test"))).isTrue();
            assertThat(parley.server().accounts().exists(JidCreate.entityBareFrom("bob@other.test"))).isTrue();
        }
    }

    @Test
    void theC2sPortSpeaksXmppAndOffersStartTls() throws Exception {
        // RFC 6120 §5.3.1: the server offers <starttls/> in the first stream features.
        try (EmbeddedParley parley = EmbeddedParley.builder().domain("example.test").start();
             Socket socket = new Socket(parley.host(), parley.c2sPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("<?xml version='1.0'?><stream:stream to='example.test' version='1.0' "
                    + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readUntil(socket.getInputStream(), "</stream:features>"))
                    .contains("urn:ietf:params:xml:ns:xmpp-tls");
        }
    }

    @Test
    void certificateNamesTheDomain() throws Exception {
        try (EmbeddedParley parley = EmbeddedParley.builder().domain("example.test").start()) {
            X509Certificate certificate = parley.certificate();
            assertThat(certificate).isEqualTo(parley.certificate("example.test"));
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            assertThat(names).anySatisfy(name -> assertThat((Object) name.get(1)).isEqualTo("example.test"));
        }
    }

    @Test
    void withoutDomainsItHostsLocalhost() {
        try (EmbeddedParley parley = EmbeddedParley.builder().start()) {
            assertThat(parley.domain()).isEqualTo("localhost");
        }
    }

    @Test
    void createUserRefusesDuplicatesAndForeignDomains() {
        try (EmbeddedParley parley = EmbeddedParley.builder().domain("example.test").start()) {
            assertThat((Object) parley.createUser("carol", "pw")).hasToString("carol@example.test");
            assertThatThrownBy(() -> parley.createUser("carol", "pw")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> parley.createUser("dave@elsewhere.test", "pw"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeStopsListeningAndDeletesTheData() throws Exception {
        EmbeddedParley parley = EmbeddedParley.builder().start();
        int port = parley.c2sPort();
        Path dataDir = parley.dataDir();
        assertThat(dataDir).isDirectory();
        parley.close();
        assertThat(dataDir).doesNotExist();
        assertThatThrownBy(() -> new Socket(parley.host(), port).close()).isInstanceOf(ConnectException.class);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!text.toString().contains(end)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
