package im.parley.conformance.bosh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP surface around the bindings: discovery (XEP-0156), CORS, limits. */
class HttpEndpointsTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley(web -> web.withMaxRequestBytes(4096));

    private final HttpClient http = HttpClient.newHttpClient();

    /** XEP-0156 §3: host-meta announces both alternative connection methods. */
    @Test
    @DisplayName("host-meta (XRD) announces the BOSH and WebSocket endpoints")
    void hostMetaXrd() throws Exception {
        HttpResponse<String> response = get("/.well-known/host-meta");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/xrd+xml"));
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        Element xrd = RawBoshClient.parse(response.body());
        assertThat(xrd.elements("Link")).extracting(link -> link.attributeValue("rel") + " " + link.attributeValue("href"))
                .containsExactly("urn:xmpp:alt-connections:xbosh " + parley.boshUrl(),
                        "urn:xmpp:alt-connections:websocket " + parley.websocketUrl());
    }

    /** XEP-0156 §3: the JSON form (RFC 6415 §3). */
    @Test
    @DisplayName("host-meta.json announces the same endpoints")
    void hostMetaJson() throws Exception {
        HttpResponse<String> response = get("/.well-known/host-meta.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).contains("\"rel\":\"urn:xmpp:alt-connections:xbosh\",\"href\":\"" + parley.boshUrl())
                .contains("\"rel\":\"urn:xmpp:alt-connections:websocket\",\"href\":\"" + parley.websocketUrl());
    }

    /** CORS preflight (Fetch standard, CORS protocol) for an allowed origin. */
    @Test
    @DisplayName("an allowed origin passes the CORS preflight and gets CORS headers on BOSH responses")
    void corsAllowedOrigin() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(parley.boshUrl()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://allowed.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("http://allowed.example");
        assertThat(String.join(",", preflight.headers().allValues("access-control-allow-methods"))).contains("POST");
        assertThat(String.join(",", preflight.headers().allValues("access-control-allow-headers")).toLowerCase())
                .contains("content-type");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(parley.boshUrl()))
                .header("Origin", "http://allowed.example")
                .POST(HttpRequest.BodyPublishers.ofString("<body rid='1' sid='none' xmlns='"
                        + RawBoshClient.HTTPBIND + "'/>")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue("http://allowed.example");
    }

    @Test
    @DisplayName("another origin gets no CORS permission")
    void corsOtherOrigin() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(parley.boshUrl()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    @DisplayName("request bodies above http.max_request_size are refused with 413; unknown paths are 404")
    void limitsAndUnknownPaths() throws Exception {
        HttpResponse<String> large = http.send(HttpRequest.newBuilder(URI.create(parley.boshUrl()))
                .POST(HttpRequest.BodyPublishers.ofString("<body rid='1' xmlns='" + RawBoshClient.HTTPBIND + "'>"
                        + "x".repeat(5000) + "</body>")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/http-bind").statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(parley.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
