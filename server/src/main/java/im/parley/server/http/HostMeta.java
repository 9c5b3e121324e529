package im.parley.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Connection-method discovery over HTTP (XEP-0156 §3): the host-meta document (RFC 6415), as
 * XRD and as JSON, announcing the BOSH and WebSocket endpoints at the address the client used.
 */
final class HostMeta {

    static final String XRD_PATH = "/.well-known/host-meta";
    static final String JSON_PATH = "/.well-known/host-meta.json";
    static final String XRD_TYPE = "application/xrd+xml; charset=utf-8";
    static final String JSON_TYPE = "application/json";
    /** XEP-0156 §3.3: the link relations. */
    static final String BOSH_REL = "urn:xmpp:alt-connections:xbosh";
    static final String WEBSOCKET_REL = "urn:xmpp:alt-connections:websocket";

    private final String boshUrl;
    private final String websocketUrl;

    HostMeta(String boshUrl, String websocketUrl) {
        this.boshUrl = boshUrl;
        this.websocketUrl = websocketUrl;
    }

    /**
     * The endpoints at the host the client asked for ({@code Host}), with the scheme it used;
     * behind a TLS proxy, its {@code X-Forwarded-Proto: https} is honoured.
     */
    static HostMeta forRequest(HttpRequest request, boolean tls) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            host = "localhost";  // never echo header text into the document unchecked
        }
        boolean secure = tls || "https".equalsIgnoreCase(request.headers().get("X-Forwarded-Proto"));
        return new HostMeta((secure ? "https://" : "http://") + host + HttpChannelInitializer.BOSH_PATH,
                (secure ? "wss://" : "ws://") + host + HttpChannelInitializer.WEBSOCKET_PATH);
    }

    String xrd() {
        return "<?xml version='1.0' encoding='utf-8'?>\n"
                + "<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>\n"
                + "  <Link rel='" + BOSH_REL + "' href='" + boshUrl + "'/>\n"
                + "  <Link rel='" + WEBSOCKET_REL + "' href='" + websocketUrl + "'/>\n"
                + "</XRD>\n";
    }

    String json() {
        return "{\"links\":[{\"rel\":\"" + BOSH_REL + "\",\"href\":\"" + boshUrl + "\"},"
                + "{\"rel\":\"" + WEBSOCKET_REL + "\",\"href\":\"" + websocketUrl + "\"}]}\n";
    }
}
