package im.parley.conformance.bosh;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ListenerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTPS listener: BOSH over TLS is a secure stream (XEP-0206 §4: {@code secure='true'}),
 * while plain HTTP is not unless the operator says so ({@code http.consider_secure}).
 */
class HttpsTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley(web -> web.withConsiderSecure(false)
            .withHttps(ListenerConfig.on("127.0.0.1", 0)));

    private static final String CREATE = "<body rid='1000' to='" + HttpParley.DOMAIN + "' wait='10' hold='1' "
            + "ver='1.11' xmpp:version='1.0' xmlns='" + RawBoshClient.HTTPBIND + "' xmlns:xmpp='urn:xmpp:xbosh'/>";

    @Test
    @DisplayName("BOSH over HTTPS, certificate chosen by SNI, is secure and offers SASL")
    void boshOverHttps() throws Exception {
        SSLSocket socket = (SSLSocket) parley.trustingSocketFactory().createSocket("127.0.0.1",
                parley.server().httpsPort());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HttpParley.DOMAIN)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");  // the certificate must name the domain
        socket.setSSLParameters(parameters);
        try (socket) {
            Element response = RawBoshClient.parse(post(socket, CREATE));
            assertThat(response.attributeValue("secure")).isEqualTo("true");
            assertThat(response.element("features").element("mechanisms").elements())
                    .extracting(Element::getText).contains("PLAIN", "SCRAM-SHA-256")
                    .noneMatch(mechanism -> mechanism.endsWith("-PLUS"));
            assertThat(response.element("features").element("starttls")).isNull();
        }
    }

    @Test
    @DisplayName("plain-HTTP BOSH through a proxy is not secure without consider_secure: no authentication before TLS")
    void plainHttpIsInsecure() {
        // Straight from loopback a client counts as secure (its bytes never leave the machine);
        // a request a proxy forwards names its client.
        Element response = RawBoshClient.await(new RawBoshClient(parley.boshUrl()).post(CREATE, "203.0.113.5"));
        assertThat(response.attributeValue("secure")).isEqualTo("false");
        Element mechanisms = response.element("features").element("mechanisms");
        assertThat(mechanisms == null ? List.of() : mechanisms.elements()).as("tls.starttls_required").isEmpty();
    }

    private static String post(SSLSocket socket, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /http-bind HTTP/1.1\r\nHost: " + HttpParley.DOMAIN + "\r\nContent-Type: text/xml; charset=utf-8"
                + "\r\nConnection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        in.transferTo(response);
        String text = response.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("HTTP/1.1 200");
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
}
