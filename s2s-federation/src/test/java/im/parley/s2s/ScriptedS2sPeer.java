package im.parley.s2s;

import im.parley.core.tls.KeyMaterial;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The other server, scripted by a test: raw XML over a real loopback socket, in either role
 * (it accepts Parley's outbound connection, or connects to Parley's s2s listener), with TLS in
 * either role too, so a test states exactly what the peer offers and sends.
 */
final class ScriptedS2sPeer implements AutoCloseable {

    private static final char[] NO_PASSWORD = new char[0];

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder unread = new StringBuilder();

    private ScriptedS2sPeer(Socket socket) throws IOException {
        use(socket);
    }

    /** Waits for Parley to connect to {@code listener}. */
    static ScriptedS2sPeer accept(ServerSocket listener) throws IOException {
        listener.setSoTimeout(20_000);
        return new ScriptedS2sPeer(listener.accept());
    }

    static ScriptedS2sPeer connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        return new ScriptedS2sPeer(socket);
    }

    /** A {@code jabber:server} stream header declaring the dialback prefix. */
    static String header(String from, String to, String id) {
        return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback'"
                + " xmlns:stream='http://etherx.jabber.org/streams' from='" + from + "' to='" + to + "'"
                + (id == null ? "" : " id='" + id + "'") + " version='1.0'>";
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads until {@code regex} matches what arrived since the last call and returns all of that
     * up to the end of the match, so a test can also check what came before it.
     */
    String readThrough(String regex) throws IOException {
        Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher("");
        byte[] buffer = new byte[8192];
        try {
            while (!matcher.reset(unread).find()) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new EOFException("the connection closed");
                }
                unread.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError("no " + regex + " in: " + unread, e);
        }
        String text = unread.substring(0, matcher.end());
        unread.delete(0, matcher.end());
        return text;
    }

    /**
     * As the receiving server's peer {@code from}, opens a stream to {@code to} and authenticates
     * with STARTTLS and SASL EXTERNAL presenting {@code key} (RFC 6120 §5, §6.4.6); returns the
     * features after the last restart.
     */
    String authenticateWithExternal(String from, String to, KeyMaterial key) throws Exception {
        send(header(from, to, null));
        readThrough("</stream:features>");
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        readThrough("<proceed[^>]*/>");
        startTls(key, false);
        send(header(from, to, null));
        readThrough("</stream:features>");
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
                + Base64.getEncoder().encodeToString(from.getBytes(StandardCharsets.UTF_8)) + "</auth>");
        readThrough("<success[^>]*/>");
        send(header(from, to, null));
        return readThrough("</stream:features>");
    }

    /** Switches the socket to TLS, as the server of the handshake or as its client, presenting {@code key}. */
    void startTls(KeyMaterial key, boolean asServer) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("peer", key.privateKey(), NO_PASSWORD, key.chain().toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, NO_PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        // The test's peer checks nothing: what Parley does with certificates is not under test here.
        tls.init(keys.getKeyManagers(), InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), new SecureRandom());
        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        secured.setUseClientMode(!asServer);
        secured.startHandshake();
        unread.setLength(0);
        use(secured);
    }

    private void use(Socket next) throws IOException {
        socket = next;
        socket.setSoTimeout(20_000);
        in = next.getInputStream();
        out = next.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
