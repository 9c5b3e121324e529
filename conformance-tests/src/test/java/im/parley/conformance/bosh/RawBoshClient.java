package im.parley.conformance.bosh;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;

/**
 * A BOSH client written from XEP-0124 and XEP-0206 with the JDK's HTTP client, to put the
 * protocol edges a library hides under test: exact {@code rid}s, repeated requests, requests
 * that arrive late, a client that vanishes. Every response is parsed into a dom4j element.
 */
final class RawBoshClient {

    static final String HTTPBIND = "http://jabber.org/protocol/httpbind";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Shared, as a browser shares its connection pool between the sessions it holds. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    private String sid;
    private long rid = ThreadLocalRandom.current().nextLong(1_000_000, 1L << 40);

    RawBoshClient(String url) {
        this.url = URI.create(url);
    }

    String sid() {
        return sid;
    }

    /** The rid the next {@link #send} uses. */
    long nextRid() {
        return rid + 1;
    }

    /** XEP-0206 §4: session creation request. */
    Element create(int wait, int hold) {
        Element response = post(String.format("<body content='text/xml; charset=utf-8' hold='%d' rid='%d' to='%s' "
                + "ver='1.11' wait='%d' xml:lang='en' xmpp:version='1.0' xmlns='%s' xmlns:xmpp='urn:xmpp:xbosh'/>",
                hold, rid, HttpParley.DOMAIN, wait, HTTPBIND)).join();
        sid = response.attributeValue("sid");
        return response;
    }

    /** A request with the next rid carrying {@code payload}; completes when the server answers. */
    CompletableFuture<Element> send(String payload) {
        return sendWithRid(++rid, payload);
    }

    CompletableFuture<Element> sendWithRid(long requestRid, String payload) {
        return post(String.format("<body rid='%d' sid='%s' xmlns='%s'>%s</body>", requestRid, sid, HTTPBIND, payload));
    }

    /** XEP-0206 §5: restart after SASL success. */
    Element restart() {
        return post(String.format("<body rid='%d' sid='%s' to='%s' xml:lang='en' xmpp:restart='true' xmlns='%s' "
                + "xmlns:xmpp='urn:xmpp:xbosh'/>", ++rid, sid, HttpParley.DOMAIN, HTTPBIND)).join();
    }

    /** Creates a session, authenticates with PLAIN, restarts, binds and sends initial presence. */
    String login(EntityBareJid account, String password) {
        create(10, 1);
        String credentials = Base64.getEncoder().encodeToString(("\0" + account.getLocalpart() + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        Element success = send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials
                + "</auth>").join();
        if (success.element("success") == null) {
            throw new IllegalStateException("authentication failed: " + success.asXML());
        }
        restart();
        Element bound = send("<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:"
                + "xmpp-bind'><resource>raw</resource></bind></iq>").join();
        Element jid = bound.element("iq").element("bind").element("jid");
        send("<presence xmlns='jabber:client'/>");
        return jid.getText();
    }

    CompletableFuture<Element> post(String body) {
        return post(body, null);
    }

    /** A request as a reverse proxy forwards it for {@code forwardedFor} ({@code X-Forwarded-For}; null: none). */
    CompletableFuture<Element> post(String body, String forwardedFor) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "text/xml; charset=utf-8");
        if (forwardedFor != null) {
            builder.header("X-Forwarded-For", forwardedFor);
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> parse(response.body()));
    }

    static Element parse(String xml) {
        try {
            return DocumentHelper.parseText(xml).getRootElement();
        } catch (DocumentException e) {
            throw new IllegalStateException("not XML: " + xml, e);
        }
    }

    /**
     * Sends a request with the next rid over a socket of its own and closes that socket at once,
     * as a client whose connection drops while the server holds the request.
     */
    long sendAndDrop(String payload) {
        long dropped = ++rid;
        String body = String.format("<body rid='%d' sid='%s' xmlns='%s'>%s</body>", dropped, sid, HTTPBIND, payload);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dropped;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
