package im.parley.server.modules.upload;

import im.parley.server.module.RunningServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * The URLs of a slot (XEP-0363 §4): {@code <base>/upload/<service>/<token>/<file name>}, one URL
 * for the PUT and the GET. The base is {@code upload.public_url} when set (a reverse proxy in
 * front); else, once the listeners are bound, the HTTPS listener's (§4: "The host MUST provide
 * Transport Layer Security"), or the plain HTTP listener's when only that one runs: on a loopback
 * address that address, on any other the service's domain name, which the certificate names.
 */
final class UploadUrls {

    private final DomainBareJid service;
    private final String pathPrefix;
    private volatile String base;
    /** The base names a loopback address: only clients on this machine can use the URLs. */
    private volatile boolean loopbackOnly;

    UploadUrls(DomainBareJid service, String pathPrefix, String publicUrl) {
        this.service = service;
        this.pathPrefix = pathPrefix;
        this.base = publicUrl == null ? null : stripSlash(publicUrl);
    }

    String pathPrefix() {
        return pathPrefix;
    }

    /** The listeners are bound: without a public URL, the slots' URLs point at them. */
    String listening(RunningServer server) {
        if (base == null) {
            Optional<InetSocketAddress> https = server.httpsListener();
            Optional<InetSocketAddress> http = server.httpListener();
            if (https.isPresent()) {
                base = "https://" + host(https.get());
            } else if (http.isPresent()) {
                base = "http://" + host(http.get());
            }
        }
        if (base == null) {
            return "upload " + service + " has no URL: no HTTP listener and no upload.public_url";
        }
        return "upload " + base + pathPrefix + (loopbackOnly
                ? " (loopback: only local clients can fetch files; set upload.public_url or an HTTPS listener)" : "");
    }

    /** The URL of a slot, or empty while the service has none (no listener, no public URL). */
    Optional<String> of(String token, String filename) {
        String current = base;
        if (current == null) {
            return Optional.empty();
        }
        return Optional.of(current + pathPrefix + token + "/"
                + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private String host(InetSocketAddress listener) {
        InetAddress address = listener.getAddress();
        String host;
        if (address.isLoopbackAddress()) {
            loopbackOnly = true;
            host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        } else {
            host = service.toString();
        }
        return host + ":" + listener.getPort();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
