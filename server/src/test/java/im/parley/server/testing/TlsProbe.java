package im.parley.server.testing;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw TLS connection to a listener, made to see which certificate the server presents: direct
 * TLS or HTTPS with SNI (RFC 6066 §3), or STARTTLS after a stream header (RFC 6120 §5.4). It
 * trusts any certificate on purpose: the tests compare the certificate presented with the one
 * expected. The connection stays open for a test that uses it afterwards.
 */
public final class TlsProbe implements AutoCloseable {

    /** Generous: two cores shared by several builds. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern FEATURES_END = Pattern.compile("</[^>]*features>");

    private final SSLSocket socket;

    private TlsProbe(SSLSocket socket) {
        this.socket = socket;
    }

    /** TLS from the first byte, naming {@code serverName} in SNI. */
    public static TlsProbe directTls(String host, int port, String serverName) throws IOException {
        Socket plain = connect(host, port);
        return new TlsProbe(handshake(plain, host, port, serverName));
    }

    /** A client stream to {@code domain}, STARTTLS, and the TLS handshake (with SNI for {@code domain}). */
    public static TlsProbe startTls(String host, int port, String domain) throws IOException {
        Socket plain = connect(host, port);
        try {
            write(plain, streamHeader(domain));
            readUntil(plain.getInputStream(), FEATURES_END);
            write(plain, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            readUntil(plain.getInputStream(), Pattern.compile("<proceed[^>]*>"));
            return new TlsProbe(handshake(plain, host, port, domain));
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The stream header a client opens a stream to {@code domain} with. */
    public static String streamHeader(String domain) {
        return "<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xml:lang='en' "
                + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    }

    /** The leaf certificate the server presented. */
    public X509Certificate certificate() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    public void send(String xml) throws IOException {
        write(socket, xml);
    }

    /** What the server sends until {@code end} matches (a whole stream's features, an element). */
    public String readUntil(Pattern end) throws IOException {
        return readUntil(socket.getInputStream(), end);
    }

    /** Opens a stream to {@code domain} and returns the features it offers. */
    public String openStream(String domain) throws IOException {
        send(streamHeader(domain));
        return readUntil(FEATURES_END);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), (int) READ_TIMEOUT.toMillis());
        plain.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return plain;
    }

    private static SSLSocket handshake(Socket plain, String host, int port, String serverName) throws IOException {
        SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) READ_TIMEOUT.toMillis());
        tls.startHandshake();
        return tls;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads byte by byte so that nothing after {@code end} is consumed (TLS may follow on the same socket). */
    private static String readUntil(InputStream in, Pattern end) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (true) {
            int next;
            try {
                next = in.read();
            } catch (SocketTimeoutException e) {
                throw new IOException("nothing matching " + end + " within " + READ_TIMEOUT + "; got: " + read, e);
            }
            if (next < 0) {
                throw new IOException("connection closed before " + end + "; got: " + read);
            }
            read.write(next);
            String text = read.toString(StandardCharsets.UTF_8);
            if (end.matcher(text).find()) {
                return text;
            }
        }
    }

    private static SSLContext trustAll() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
