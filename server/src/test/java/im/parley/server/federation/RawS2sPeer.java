package im.parley.server.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A hand-driven server: raw XML over a socket, so a test can do what a misbehaving or malicious
 * peer does (e.g. send a forged {@code from}). It initiates (STARTTLS with a trust-all client), or
 * plays the receiving server of a connection Parley opened ({@link #RawS2sPeer(Socket)}).
 */
final class RawS2sPeer implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder input = new StringBuilder();

    RawS2sPeer(String host, int port) throws IOException {
        this(connected(host, port));
    }

    /** The receiving end of a connection Parley opened (accepted by the test's listener). */
    RawS2sPeer(Socket accepted) throws IOException {
        socket = accepted;
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private static Socket connected(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        return socket;
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until {@code pattern} matches the input received since the last match; returns the match. */
    Matcher await(String pattern) throws IOException {
        Pattern compiled = Pattern.compile(pattern, Pattern.DOTALL);
        byte[] buffer = new byte[8192];
        while (true) {
            // Match a snapshot: the buffer changes below, and a Matcher reads groups lazily.
            Matcher matcher = compiled.matcher(input.toString());
            if (matcher.find()) {
                input.delete(0, matcher.end());
                return matcher;
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + pattern + " in: " + input, e);
            }
            if (n < 0) {
                throw new AssertionError("connection closed without " + pattern + " in: " + input);
            }
            input.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
    }

    /** Opens the stream, negotiates STARTTLS and reopens; returns the stream id of the TLS stream. */
    String openWithTls(String from, String to) throws Exception {
        send(header(from, to));
        await("</stream:features>");
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await("<proceed[^>]*/>");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket, to, socket.getPort(), true);
        secured.setUseClientMode(true);
        secured.startHandshake();
        socket = secured;
        in = secured.getInputStream();
        out = secured.getOutputStream();
        input.setLength(0);
        send(header(from, to));
        String id = await("<stream:stream[^>]*\\sid='([^']+)'").group(1);
        await("</stream:features>");
        return id;
    }

    static String header(String from, String to) {
        return header(from, to, null);
    }

    /** A header with a stream id, as the receiving server sends it (RFC 6120 §4.7.3). */
    static String header(String from, String to, String id) {
        return "<?xml version='1.0'?><stream:stream from='" + from + "' to='" + to + "' version='1.0' "
                + (id == null ? "" : "id='" + id + "' ")
                + "xmlns='jabber:server' xmlns:db='jabber:server:dialback' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
